"use client";

import { useId, useState } from "react";
import type { revokeApiKeyRoute as revokeApiKeyRouteContract } from "@/app/api/teams/[team]/api-keys/[id]/revoke/contract";
import type { apiKeysRoute as apiKeysRouteContract, createApiKeyRoute as createApiKeyRouteContract } from "@/app/api/teams/[team]/api-keys/contract";
import { CopyField } from "@/components/copy-field";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import { formatDateTime } from "@/components/format";
import type { BodyOf, OutputOf } from "@/lib/edge/contract";
import { endpoint } from "@/lib/edge/endpoint";

const revokeApiKeyRoute = endpoint<typeof revokeApiKeyRouteContract>("POST /api/teams/:team/api-keys/:id/revoke");
const apiKeysRoute = endpoint<typeof apiKeysRouteContract>("GET /api/teams/:team/api-keys");
const createApiKeyRoute = endpoint<typeof createApiKeyRouteContract>("POST /api/teams/:team/api-keys");

type KeyRow = OutputOf<typeof apiKeysRouteContract>["keys"][number];

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";
const roleLabel = { READ_ONLY: "Read-only", BILLING: "Billing" } as const;

/** The team's keys (prefetched by the page, refetched after every change), creating one and revoking one. */
export function ApiKeysClient({ team }: { team: string }) {
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const { data } = useRouteQuery(apiKeysRoute, { params: { team } });
  return (
    <div className="mt-6 space-y-8">
      {created ? <NewSecret {...created} onDone={() => setCreated(null)} /> : <CreateForm team={team} onCreated={setCreated} />}
      <KeyTable team={team} keys={data?.keys ?? []} />
    </div>
  );
}

function CreateForm({ team, onCreated }: { team: string; onCreated: (k: { name: string; secret: string }) => void }) {
  const id = useId();
  const create = useRouteMutation(createApiKeyRoute, { params: { team } }, { onSuccess: (k) => onCreated({ name: k.name, secret: k.secret }) });
  const error = create.error?.record ?? null;
  const pending = create.isPending;
  return (
    <form
      aria-labelledby={`${id}-title`}
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-5 sm:grid-cols-[1fr_12rem_auto] sm:items-end dark:border-slate-800 dark:bg-slate-900"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const name = String(form.get("name") ?? "");
        const role = String(form.get("role") ?? "") as BodyOf<typeof createApiKeyRouteContract>["role"];
        create.mutate({ name, role });
      }}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold sm:col-span-3">
        Create a key
      </h2>
      <div>
        <label htmlFor={`${id}-name`} className="block text-sm font-medium">
          Name
        </label>
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. Production worker"
          aria-invalid={error?.field === "name"}
          className={input}
        />
      </div>
      <div>
        <label htmlFor={`${id}-role`} className="block text-sm font-medium">
          Role
        </label>
        <select id={`${id}-role`} name="role" defaultValue="BILLING" aria-invalid={error?.field === "role"} className={input}>
          <option value="BILLING">Billing (record usage)</option>
          <option value="READ_ONLY">Read-only</option>
        </select>
      </div>
      <button disabled={pending} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
        {pending ? "Creating…" : "Create key"}
      </button>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-900 sm:col-span-3 dark:bg-red-950 dark:text-red-100">
          {error.message}
        </p>
      )}
    </form>
  );
}

function NewSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const id = useId();
  return (
    <div role="region" aria-labelledby={`${id}-title`} className="rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-700 dark:bg-amber-950">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Your new key “{name}”
      </h2>
      <p className="mt-1 text-sm">Copy it now and keep it somewhere safe. It is shown only this once; Creditdesk stores only its hash.</p>
      <CopyField label="API key" value={secret} what="key" />
      <p className="mt-2 text-sm">
        Use it as <code className="rounded bg-white/70 px-1 dark:bg-black/30">Authorization: Bearer {secret.slice(0, 12)}…</code>
      </p>
      <button type="button" onClick={onDone} className="mt-4 rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
        I have copied it
      </button>
    </div>
  );
}

function KeyTable({ team, keys }: { team: string; keys: KeyRow[] }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (keys.length === 0) return <p className="text-slate-600 dark:text-slate-400">No API keys yet.</p>;
  return (
    <div>
      <h2 className="text-lg font-semibold">Keys</h2>
      {error && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error}
        </p>
      )}
      <table className="mt-3 w-full text-left text-sm">
        <thead className="text-slate-600 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-2 font-medium">
              Name
            </th>
            <th scope="col" className="py-2 font-medium">
              Key
            </th>
            <th scope="col" className="py-2 font-medium">
              Role
            </th>
            <th scope="col" className="py-2 font-medium">
              Created
            </th>
            <th scope="col" className="py-2 font-medium">
              Last used
            </th>
            <th scope="col" className="py-2 font-medium">
              <span className="sr-only">Status and actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} className={`border-t border-slate-200 align-top dark:border-slate-800 ${k.revokedAt ? "text-slate-500 dark:text-slate-400" : ""}`}>
              <td className="py-2 pr-3 font-medium">{k.name}</td>
              <td className="py-2 pr-3 font-mono">{k.prefix}…</td>
              <td className="py-2 pr-3">{roleLabel[k.role]}</td>
              <td className="py-2 pr-3">{formatDateTime(k.createdAt)}</td>
              <td className="py-2 pr-3">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Never"}</td>
              <td className="py-2">
                {k.revokedAt ? (
                  <span>Revoked {formatDateTime(k.revokedAt)}</span>
                ) : confirming === k.id ? (
                  <ConfirmRevoke
                    team={team}
                    apiKey={k}
                    onCancel={() => setConfirming(null)}
                    onDone={(message) => {
                      setConfirming(null);
                      setError(message);
                    }}
                  />
                ) : (
                  <button
                    type="button"
                    className="rounded-md border border-red-300 px-3 py-1.5 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                    aria-label={`Revoke ${k.name}`}
                    onClick={() => setConfirming(k.id)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Revoke “name”?": the one row being confirmed, with its own revoke call. */
function ConfirmRevoke({ team, apiKey: k, onCancel, onDone }: { team: string; apiKey: KeyRow; onCancel: () => void; onDone: (error: string | null) => void }) {
  const revoke = useRouteMutation(revokeApiKeyRoute, { params: { team, id: k.id } }, { onSuccess: () => onDone(null), onError: (e) => onDone(e.message) });
  return (
    <div role="group" aria-label={`Confirm revoking ${k.name}`} className="space-y-2">
      <p>Revoke “{k.name}”? Programs using it get 401 at once. This cannot be undone.</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={revoke.isPending}
          className="rounded-md bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-500 disabled:opacity-60"
          onClick={() => revoke.mutate({})}
        >
          {revoke.isPending ? "Revoking…" : "Revoke key"}
        </button>
        <button type="button" className="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
