"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { resendInvitationRoute as resendInvitationRouteContract } from "@/app/api/teams/[team]/invitations/[id]/resend/contract";
import type { revokeInvitationRoute as revokeInvitationRouteContract } from "@/app/api/teams/[team]/invitations/[id]/revoke/contract";
import type { inviteMemberRoute as inviteMemberRouteContract } from "@/app/api/teams/[team]/invitations/contract";
import type { leaveTeamRoute as leaveTeamRouteContract } from "@/app/api/teams/[team]/leave/contract";
import type { membersRoute as membersRouteContract } from "@/app/api/teams/[team]/members/contract";
import type { removeMemberRoute as removeMemberRouteContract } from "@/app/api/teams/[team]/members/[id]/remove/contract";
import type { changeMemberRoleRoute as changeMemberRoleRouteContract } from "@/app/api/teams/[team]/members/[id]/role/contract";
import type { transferOwnershipRoute as transferOwnershipRouteContract } from "@/app/api/teams/[team]/members/[id]/transfer-ownership/contract";
import { CopyField } from "@/components/copy-field";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import { formatDateTime } from "@/components/format";
import type { OutputOf } from "@/lib/edge/contract";
import { ROLES, roleGuide } from "@/lib/teams/members/role-guide";
import { endpoint } from "@/lib/edge/endpoint";

const resendInvitationRoute = endpoint<typeof resendInvitationRouteContract>("POST /api/teams/:team/invitations/:id/resend");
const revokeInvitationRoute = endpoint<typeof revokeInvitationRouteContract>("POST /api/teams/:team/invitations/:id/revoke");
const inviteMemberRoute = endpoint<typeof inviteMemberRouteContract>("POST /api/teams/:team/invitations");
const leaveTeamRoute = endpoint<typeof leaveTeamRouteContract>("POST /api/teams/:team/leave");
const membersRoute = endpoint<typeof membersRouteContract>("GET /api/teams/:team/members");
const removeMemberRoute = endpoint<typeof removeMemberRouteContract>("POST /api/teams/:team/members/:id/remove");
const changeMemberRoleRoute = endpoint<typeof changeMemberRoleRouteContract>("POST /api/teams/:team/members/:id/role");
const transferOwnershipRoute = endpoint<typeof transferOwnershipRouteContract>("POST /api/teams/:team/members/:id/transfer-ownership");

type Data = OutputOf<typeof membersRouteContract>;
type Member = Data["members"][number];
type Invitation = Data["invitations"][number];
type Role = Member["role"];

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";
const small = "rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800";
const danger =
  "rounded-md border border-red-300 px-3 py-1.5 text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950";
const primary = "rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60";
const alertBox = "rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100";

/** May the reader change or remove someone with this role? (the core decides again: member-rules.ts) */
const mayManage = (you: Role, target: Role) => (you === "OWNER" || you === "ADMIN") && (you === "OWNER" || target !== "OWNER");
const rolesYouMayGive = (you: Role) => ROLES.filter((r) => you === "OWNER" || r !== "OWNER");
const who = (m: { name: string | null; email: string | null }) => m.name ?? m.email ?? "this member";

/** The members page: what each role may do, inviting, the members, and the open invitations. */
export function MembersClient({ team }: { team: string }) {
  const { data } = useRouteQuery(membersRoute, { params: { team } });
  const [error, setError] = useState<string | null>(null);
  if (!data) return <p className="mt-6 text-slate-600 dark:text-slate-400">Loading members…</p>;
  const manage = data.yourRole === "OWNER" || data.yourRole === "ADMIN";
  return (
    <div className="mt-6 grid gap-8 lg:grid-cols-[1fr_18rem]">
      <div className="min-w-0 space-y-8">
        {manage ? (
          <InviteForm team={team} yourRole={data.yourRole} />
        ) : (
          <p role="status" className="rounded-md bg-slate-100 p-4 dark:bg-slate-800">
            Only the team&apos;s owners and admins can invite people or change roles.
          </p>
        )}
        {error && (
          <p role="alert" className={alertBox}>
            {error}
          </p>
        )}
        <MemberTable team={team} data={data} onError={setError} />
        {manage && <InvitationTable team={team} invitations={data.invitations} onError={setError} />}
      </div>
      <RoleGuide />
    </div>
  );
}

function RoleGuide() {
  return (
    <aside aria-labelledby="role-guide" className="h-fit rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="role-guide" className="text-lg font-semibold">
        What each role may do
      </h2>
      <dl className="mt-3 space-y-3 text-sm">
        {ROLES.map((r) => (
          <div key={r}>
            <dt className="font-medium">{roleGuide[r].label}</dt>
            <dd className="text-slate-700 dark:text-slate-300">{roleGuide[r].may}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}

/** A link to pass on by hand (this installation sends no email). */
function CopyLink({ email, link }: { email: string; link: string }) {
  const id = useId();
  return (
    <div role="region" aria-labelledby={`${id}-title`} className="rounded-md border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950">
      <h3 id={`${id}-title`} className="font-semibold">
        Send this link to {email}
      </h3>
      <p className="mt-1 text-sm">Email is not set up on this installation, so nothing was sent. The link works once, for 7 days, signed in as {email}.</p>
      <CopyField label="Invitation link" value={link} what="link" />
    </div>
  );
}

function InviteForm({ team, yourRole }: { team: string; yourRole: Role }) {
  const id = useId();
  const [sent, setSent] = useState<{ email: string; link: string | null } | null>(null);
  const invite = useRouteMutation(inviteMemberRoute, { params: { team } }, { onSuccess: (r) => setSent({ email: r.invitation.email, link: r.link }) });
  const error = invite.error?.record ?? null;
  return (
    <form
      aria-labelledby={`${id}-title`}
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-5 sm:grid-cols-[1fr_10rem_auto] sm:items-end dark:border-slate-800 dark:bg-slate-900"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        setSent(null);
        invite.mutate({ email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "") as Role });
      }}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold sm:col-span-3">
        Invite someone
      </h2>
      <div>
        <label htmlFor={`${id}-email`} className="block text-sm font-medium">
          Email
        </label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          required
          autoComplete="off"
          placeholder="name@company.com"
          aria-invalid={error?.field === "email"}
          aria-describedby={error ? `${id}-error` : undefined}
          className={input}
        />
      </div>
      <div>
        <label htmlFor={`${id}-role`} className="block text-sm font-medium">
          Role
        </label>
        <select id={`${id}-role`} name="role" defaultValue="MEMBER" aria-invalid={error?.field === "role"} className={input}>
          {rolesYouMayGive(yourRole).map((r) => (
            <option key={r} value={r}>
              {roleGuide[r].label}
            </option>
          ))}
        </select>
      </div>
      <button disabled={invite.isPending} className={primary}>
        {invite.isPending ? "Inviting…" : "Send invitation"}
      </button>
      {error && (
        <p id={`${id}-error`} role="alert" className={`${alertBox} sm:col-span-3`}>
          {error.message}
        </p>
      )}
      <div className="sm:col-span-3" aria-live="polite">
        {sent &&
          (sent.link ? (
            <CopyLink email={sent.email} link={sent.link} />
          ) : (
            <p role="status" className="rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
              Invitation emailed to {sent.email}. The link works once, for 7 days.
            </p>
          ))}
      </div>
    </form>
  );
}

function MemberTable({ team, data, onError }: { team: string; data: Data; onError: (m: string | null) => void }) {
  return (
    <div>
      <h2 className="text-lg font-semibold">People in the team</h2>
      <div className="overflow-x-auto">
        <table className="mt-3 w-full text-left text-sm">
          <thead className="text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">
                Name
              </th>
              <th scope="col" className="hidden py-2 pr-3 font-medium sm:table-cell">
                Email
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Role
              </th>
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <MemberRow key={m.id} team={team} member={m} data={data} onError={onError} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function MemberRow({ team, member: m, data, onError }: { team: string; member: Member; data: Data; onError: (m: string | null) => void }) {
  const [confirming, setConfirmingOnly] = useState<"remove" | "transfer" | "leave" | null>(null);
  const setConfirming = (what: "remove" | "transfer" | "leave" | null) => {
    if (what) onError(null);
    setConfirmingOnly(what);
  };
  const canManage = mayManage(data.yourRole, m.role) && !m.personalOwner;
  const name = who(m);
  return (
    <tr className="border-t border-slate-200 align-top dark:border-slate-800">
      <td className="py-2 pr-3 font-medium">
        {m.name ?? "—"}
        {m.you && <span className="ml-1 text-slate-600 dark:text-slate-400">(you)</span>}
        <span className="block font-normal text-slate-600 sm:hidden dark:text-slate-400">{m.email}</span>
      </td>
      <td className="hidden py-2 pr-3 sm:table-cell">{m.email}</td>
      <td className="py-2 pr-3">
        {canManage ? <RoleSelect team={team} member={m} yourRole={data.yourRole} onError={onError} /> : roleGuide[m.role].label}
        {m.personalOwner && <span className="block text-xs text-slate-600 dark:text-slate-400">Personal team&apos;s owner</span>}
      </td>
      <td className="py-2">
        {confirming ? (
          <Confirm team={team} member={m} what={confirming} onDone={() => setConfirming(null)} onError={onError} />
        ) : (
          <div className="flex flex-wrap gap-2">
            {m.you && !m.personalOwner && (
              <button type="button" className={danger} onClick={() => setConfirming("leave")}>
                Leave team
              </button>
            )}
            {!m.you && canManage && (
              <button type="button" className={danger} aria-label={`Remove ${name}`} onClick={() => setConfirming("remove")}>
                Remove
              </button>
            )}
            {!m.you && data.yourRole === "OWNER" && !data.personalTeam && (
              <button type="button" className={small} aria-label={`Transfer ownership to ${name}`} onClick={() => setConfirming("transfer")}>
                Transfer ownership
              </button>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

function RoleSelect({ team, member: m, yourRole, onError }: { team: string; member: Member; yourRole: Role; onError: (m: string | null) => void }) {
  const [role, setRole] = useState<Role>(m.role);
  const change = useRouteMutation(
    changeMemberRoleRoute,
    { params: { team, id: m.id } },
    {
      onSuccess: () => onError(null),
      onError: (e) => {
        setRole(m.role);
        onError(e.message);
      },
    },
  );
  const choices = rolesYouMayGive(yourRole);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${m.id}`}>
        Role of {who(m)}
      </label>
      <select
        id={`role-${m.id}`}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
      >
        {(choices.includes(m.role) ? choices : [m.role, ...choices]).map((r) => (
          <option key={r} value={r}>
            {roleGuide[r].label}
          </option>
        ))}
      </select>
      {role !== m.role && (
        <>
          <button type="button" disabled={change.isPending} className={small} onClick={() => change.mutate({ role })}>
            {change.isPending ? "Saving…" : "Save role"}
          </button>
          <button type="button" className={small} onClick={() => setRole(m.role)}>
            Cancel
          </button>
        </>
      )}
    </div>
  );
}

const confirmText = {
  remove: (name: string) => `Remove ${name} from the team? They lose access at once.`,
  transfer: (name: string) => `Make ${name} an owner and become an admin yourself?`,
  leave: () => "Leave this team? You lose access at once; someone must invite you to come back.",
} as const;
const confirmLabel = { remove: "Remove member", transfer: "Transfer ownership", leave: "Leave team" } as const;

/** The one change being confirmed on a row, with its own call. */
function Confirm({
  team,
  member: m,
  what,
  onDone,
  onError,
}: {
  team: string;
  member: Member;
  what: "remove" | "transfer" | "leave";
  onDone: () => void;
  onError: (m: string | null) => void;
}) {
  const router = useRouter();
  const handlers = {
    onSuccess: () => {
      onError(null);
      onDone();
    },
    onError: (e: Error) => {
      onError(e.message);
      onDone();
    },
  };
  const remove = useRouteMutation(removeMemberRoute, { params: { team, id: m.id } }, handlers);
  const transfer = useRouteMutation(transferOwnershipRoute, { params: { team, id: m.id } }, handlers);
  const leave = useRouteMutation(leaveTeamRoute, { params: { team }, refresh: false }, { onSuccess: () => router.push("/"), onError: handlers.onError });
  const pending = remove.isPending || transfer.isPending || leave.isPending;
  const name = who(m);
  return (
    <ConfirmGroup
      label={`Confirm: ${confirmLabel[what].toLowerCase()}${what === "leave" ? "" : ` (${name})`}`}
      text={confirmText[what](name)}
      action={confirmLabel[what]}
      pending={pending}
      onConfirm={() => (what === "remove" ? remove.mutate({}) : what === "transfer" ? transfer.mutate({}) : leave.mutate({}))}
      onCancel={onDone}
    />
  );
}

/** "Do this?" with the red button and Cancel, named for screen readers. */
function ConfirmGroup(p: { label: string; text: string; action: string; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div role="group" aria-label={p.label} className="space-y-2">
      <p>{p.text}</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={p.pending}
          className="rounded-md bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-500 disabled:opacity-60"
          onClick={p.onConfirm}
        >
          {p.pending ? "Working…" : p.action}
        </button>
        <button type="button" className={small} onClick={p.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function InvitationTable({ team, invitations, onError }: { team: string; invitations: Invitation[]; onError: (m: string | null) => void }) {
  const [resent, setResent] = useState<{ email: string; link: string | null } | null>(null);
  return (
    <div>
      <h2 className="text-lg font-semibold">Open invitations</h2>
      {resent && (
        <div className="mt-3" aria-live="polite">
          {resent.link ? (
            <CopyLink email={resent.email} link={resent.link} />
          ) : (
            <p role="status" className="rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
              A new link was emailed to {resent.email}; the old one no longer works.
            </p>
          )}
        </div>
      )}
      {invitations.length === 0 ? (
        <p className="mt-2 text-slate-600 dark:text-slate-400">No open invitations.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="mt-3 w-full text-left text-sm">
            <thead className="text-slate-600 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Email
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Role
                </th>
                <th scope="col" className="hidden py-2 pr-3 font-medium md:table-cell">
                  Invited by
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Expires
                </th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <InvitationRow key={i.id} team={team} invitation={i} onError={onError} onResent={setResent} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function InvitationRow({
  team,
  invitation: i,
  onError,
  onResent,
}: {
  team: string;
  invitation: Invitation;
  onError: (m: string | null) => void;
  onResent: (r: { email: string; link: string | null }) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const resend = useRouteMutation(
    resendInvitationRoute,
    { params: { team, id: i.id } },
    {
      onSuccess: (r) => {
        onError(null);
        onResent({ email: r.invitation.email, link: r.link });
      },
      onError: (e) => onError(e.message),
    },
  );
  const revoke = useRouteMutation(
    revokeInvitationRoute,
    { params: { team, id: i.id } },
    { onSuccess: () => onError(null), onError: (e) => (setConfirming(false), onError(e.message)) },
  );
  return (
    <tr className="border-t border-slate-200 align-top dark:border-slate-800">
      <td className="py-2 pr-3 font-medium break-all">{i.email}</td>
      <td className="py-2 pr-3">{roleGuide[i.role].label}</td>
      <td className="hidden py-2 pr-3 md:table-cell">{i.invitedBy ?? "—"}</td>
      <td className="py-2 pr-3">{i.expired ? <span className="font-medium text-red-700 dark:text-red-300">Expired</span> : formatDateTime(i.expiresAt)}</td>
      <td className="py-2">
        {confirming ? (
          <ConfirmGroup
            label={`Confirm revoking the invitation for ${i.email}`}
            text={`Revoke the invitation for ${i.email}? Its link stops working at once.`}
            action="Revoke invitation"
            pending={revoke.isPending}
            onConfirm={() => revoke.mutate({})}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              disabled={resend.isPending}
              className={small}
              aria-label={`Resend the invitation for ${i.email}`}
              onClick={() => resend.mutate({})}
            >
              {resend.isPending ? "Sending…" : "Resend"}
            </button>
            <button type="button" className={danger} aria-label={`Revoke the invitation for ${i.email}`} onClick={() => setConfirming(true)}>
              Revoke
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
