import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Members and roles on the real database: invitations (signed, single-use, 7 days, only for the invited address), role
// changes, removal, leaving, ownership transfer, the last-owner rule under concurrency, and the routes' refusals.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { POST as acceptRoute } from "../../app/api/invitations/accept/route";
import { POST as createTeamRoute } from "../../app/api/teams/route";
import { POST as inviteRoute } from "../../app/api/teams/[team]/invitations/route";
import { GET as membersRoute } from "../../app/api/teams/[team]/members/route";
import { POST as roleRoute } from "../../app/api/teams/[team]/members/[id]/role/route";
import { POST as removeRoute } from "../../app/api/teams/[team]/members/[id]/remove/route";
import type { Db } from "../../lib/db/client";
import type { TeamRole } from "../../lib/db/generated/enums";
import { createTeam } from "../../lib/teams/create-team";
import { ensurePersonalTeam } from "../../lib/teams/ensure-personal-team";
import { homeTeamSlug } from "../../lib/teams/home-team";
import { noteLastTeam } from "../../lib/teams/last-team";
import { acceptInvitation, previewInvitation } from "../../lib/teams/members/accept-invitation";
import { changeMemberRole } from "../../lib/teams/members/change-member-role";
import { INVITES_PER_HOUR, inviteMember } from "../../lib/teams/members/invite-member";
import { leaveTeam } from "../../lib/teams/members/leave-team";
import type { UserActor } from "../../lib/teams/members/member-rules";
import { removeMember } from "../../lib/teams/members/remove-member";
import { resendInvitation } from "../../lib/teams/members/resend-invitation";
import { revokeInvitation } from "../../lib/teams/members/revoke-invitation";
import { transferOwnership } from "../../lib/teams/members/transfer-ownership";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const APP = "http://app.test";
let t: TestDatabase;
let db: Db;
let n = 0;

beforeAll(async () => {
  process.env.AUTH_SECRET ??= "test-secret-for-team-invitation-links-0123456789";
  t = await createTestDatabase();
  db = t.db;
  process.env.DATABASE_URL = t.url;
  process.env.APP_URL = APP;
});
afterAll(() => t?.close());

async function person(label = "p") {
  n += 1;
  return db.user.create({ data: { email: `${label}-${n}@example.test`, name: `${label} ${n}` } });
}

/** A team with an owner and, for each role given, a member in it; actors for each. */
async function team(roles: TeamRole[] = []) {
  const owner = await person("owner");
  const tm = await db.$transaction((tx) => createTeam({ db: tx, name: `Team ${++n}`, ownerUserId: owner.id }));
  const people = [];
  for (const role of roles) {
    const u = await person(role.toLowerCase());
    const m = await db.membership.create({ data: { teamId: tm.id, userId: u.id, role } });
    people.push({ user: u, membership: m, actor: actorOf(u.id, tm.id, role) });
  }
  const ownerMembership = await db.membership.findFirstOrThrow({ where: { teamId: tm.id, userId: owner.id } });
  return { team: tm, owner: { user: owner, membership: ownerMembership, actor: actorOf(owner.id, tm.id, "OWNER") }, people };
}

const actorOf = (userId: string, teamId: string, role: TeamRole): UserActor => ({ kind: "user", userId, teamId, role, isPlatformAdmin: false });
const tokenOf = (link: string | null) => new URL(link!).searchParams.get("token")!;
const audits = (teamId: string, action: string) => db.auditLog.findMany({ where: { teamId, action }, orderBy: { createdAt: "asc" } });

async function call(
  handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>,
  userId: string | null,
  params: Record<string, string>,
  body?: unknown,
) {
  session.userId = userId;
  const req = new Request(`${APP}/api/x`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { origin: APP, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as { error?: { code: string; message: string } } & Record<string, unknown>) : null };
}

describe("invitations", () => {
  it("an owner invites a billing member; the invitee accepts once, with that role; the link is dead after", async () => {
    const { team: tm, owner } = await team();
    const invitee = await person("invitee");
    const { invitation, link } = await inviteMember({
      db,
      actor: owner.actor,
      email: ` ${invitee.email!.toUpperCase()} `,
      role: "BILLING",
      appUrl: APP,
      sendEmail: false,
    });
    expect(invitation).toMatchObject({ email: invitee.email, role: "BILLING", expired: false });
    expect(link).toMatch(new RegExp(`^${APP}/invite\\?token=`));
    const row = await db.teamInvitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(link).not.toContain(row.tokenHash);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(7 * 86_400_000);
    expect(await db.notification.count({ where: { teamId: tm.id, kind: "team_invitation" } })).toBe(0);

    const preview = await previewInvitation({ db, token: tokenOf(link), user: invitee });
    expect(preview).toMatchObject({ teamName: tm.name, role: "BILLING", email: invitee.email });
    expect(await acceptInvitation({ db, token: tokenOf(link), user: invitee })).toEqual({ teamSlug: tm.slug });
    expect(await db.membership.findUnique({ where: { teamId_userId: { teamId: tm.id, userId: invitee.id } } })).toMatchObject({ role: "BILLING" });
    expect((await db.user.findUniqueOrThrow({ where: { id: invitee.id } })).lastTeamId).toBe(tm.id);

    await expect(acceptInvitation({ db, token: tokenOf(link), user: invitee })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already used/),
    });
    expect((await audits(tm.id, "member.invited"))[0]?.data).toMatchObject({ email: invitee.email, role: "BILLING" });
    expect((await audits(tm.id, "invitation.accepted"))[0]).toMatchObject({ actorUserId: invitee.id, data: { role: "BILLING" } });
  });

  it("emails the link when SMTP is configured (the notification names no user, so the dashboard never shows it)", async () => {
    const { team: tm, owner } = await team();
    const r = await inviteMember({ db, actor: owner.actor, email: "mailed@example.test", role: "MEMBER", appUrl: APP, sendEmail: true });
    expect(r.link).toBeNull();
    const note = await db.notification.findFirstOrThrow({ where: { teamId: tm.id, kind: "team_invitation" } });
    expect(note).toMatchObject({ email: "mailed@example.test", userId: null });
    expect(note.body).toMatch(/\/invite\?token=/);
  });

  it("refuses the wrong email, an expired link, a forged link, and two tabs accepting at once join once", async () => {
    const { team: tm, owner } = await team();
    const invitee = await person("invitee");
    const stranger = await person("stranger");
    const { link } = await inviteMember({ db, actor: owner.actor, email: invitee.email!, role: "MEMBER", appUrl: APP, sendEmail: false });
    const token = tokenOf(link);
    await expect(acceptInvitation({ db, token, user: stranger })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining(`This invitation is for ${invitee.email}`),
    });
    expect(await db.membership.count({ where: { teamId: tm.id, userId: stranger.id } })).toBe(0);

    const later = new Date(Date.now() + 8 * 86_400_000);
    await expect(acceptInvitation({ db, token, user: invitee, now: later })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/expired/),
    });
    const forged = token.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    await expect(acceptInvitation({ db, token: forged, user: invitee })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/not valid/),
    });
    expect(await db.membership.count({ where: { teamId: tm.id, userId: invitee.id } })).toBe(0);

    const results = await Promise.allSettled([acceptInvitation({ db, token, user: invitee }), acceptInvitation({ db, token, user: invitee })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { teamId: tm.id, userId: invitee.id } })).toBe(1);
    expect(await audits(tm.id, "invitation.accepted")).toHaveLength(1);
  });

  it("an expired row refuses even when its link would still be in date (the row's expiry counts)", async () => {
    const { owner } = await team();
    const invitee = await person("invitee");
    const { invitation, link } = await inviteMember({ db, actor: owner.actor, email: invitee.email!, role: "MEMBER", appUrl: APP, sendEmail: false });
    await db.teamInvitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(acceptInvitation({ db, token: tokenOf(link), user: invitee })).rejects.toMatchObject({ message: expect.stringMatching(/expired/) });
  });

  it("resend kills the old link; revoke kills the link; both are audit-logged", async () => {
    const { team: tm, owner } = await team();
    const invitee = await person("invitee");
    const sent = await inviteMember({ db, actor: owner.actor, email: invitee.email!, role: "ADMIN", appUrl: APP, sendEmail: false });
    await expect(resendInvitation({ db, actor: owner.actor, invitationId: sent.invitation.id, appUrl: APP, sendEmail: false })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    const again = await resendInvitation({
      db,
      actor: owner.actor,
      invitationId: sent.invitation.id,
      appUrl: APP,
      sendEmail: false,
      now: new Date(Date.now() + 120_000),
    });
    expect(again.link).not.toBe(sent.link);
    await expect(acceptInvitation({ db, token: tokenOf(sent.link), user: invitee })).rejects.toMatchObject({ code: "CONFLICT" });
    await revokeInvitation({ db, actor: owner.actor, invitationId: sent.invitation.id });
    await expect(acceptInvitation({ db, token: tokenOf(again.link), user: invitee })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.membership.count({ where: { teamId: tm.id, userId: invitee.id } })).toBe(0);
    expect(await audits(tm.id, "invitation.resent")).toHaveLength(1);
    expect(await audits(tm.id, "invitation.revoked")).toHaveLength(1);
  });

  it("refuses a member inviting, an admin inviting an owner, a second pending invitation, and inviting a member", async () => {
    const { team: tm, owner, people } = await team(["ADMIN", "MEMBER"]);
    const [admin, member] = people;
    await expect(inviteMember({ db, actor: member!.actor, email: "x@example.test", role: "MEMBER", appUrl: APP, sendEmail: false })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(inviteMember({ db, actor: admin!.actor, email: "x@example.test", role: "OWNER", appUrl: APP, sendEmail: false })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await inviteMember({ db, actor: admin!.actor, email: "x@example.test", role: "BILLING", appUrl: APP, sendEmail: false });
    await expect(inviteMember({ db, actor: owner.actor, email: "X@example.test", role: "ADMIN", appUrl: APP, sendEmail: false })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(inviteMember({ db, actor: owner.actor, email: member!.user.email!, role: "ADMIN", appUrl: APP, sendEmail: false })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await db.teamInvitation.count({ where: { teamId: tm.id } })).toBe(1);
  });

  it("resending counts toward the team's invitations an hour: resends cannot mail an address every minute without end", async () => {
    const { owner } = await team();
    const sent = await inviteMember({ db, actor: owner.actor, email: "spam-target@example.test", role: "MEMBER", appUrl: APP, sendEmail: true });
    const start = Date.now();
    const results: string[] = [];
    for (let i = 1; i <= INVITES_PER_HOUR + 5; i++) {
      const now = new Date(start + i * 61_000);
      const r = await resendInvitation({ db, actor: owner.actor, invitationId: sent.invitation.id, appUrl: APP, sendEmail: true, now }).then(
        () => "sent",
        (e: { code: string }) => e.code,
      );
      results.push(r);
    }
    // The first invitation and the resends share the hour's INVITES_PER_HOUR.
    expect(results.filter((r) => r === "sent")).toHaveLength(INVITES_PER_HOUR - 1);
    expect(results.at(-1)).toBe("RATE_LIMITED");
  });

  it("an invitation stands only while its sender could still send it: an admin removed, or an owner demoted, cannot come back through one", async () => {
    // An admin about to be removed invites a second address of theirs as admin; an owner about to be demoted invites
    // one as owner. Once the team takes their power away, those links must not give it back.
    const { team: tm, owner, people } = await team(["ADMIN", "OWNER"]);
    const [admin, coOwner] = people;
    const alt = await person("alt");
    const alt2 = await person("alt2");
    const byAdmin = await inviteMember({ db, actor: admin!.actor, email: alt.email!, role: "ADMIN", appUrl: APP, sendEmail: false });
    const byCoOwner = await inviteMember({ db, actor: coOwner!.actor, email: alt2.email!, role: "OWNER", appUrl: APP, sendEmail: false });
    await removeMember({ db, actor: owner.actor, membershipId: admin!.membership.id });
    await changeMemberRole({ db, actor: owner.actor, membershipId: coOwner!.membership.id, role: "ADMIN" });

    for (const [link, user] of [
      [byAdmin.link, alt],
      [byCoOwner.link, alt2],
    ] as const) {
      await expect(previewInvitation({ db, token: tokenOf(link), user })).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(acceptInvitation({ db, token: tokenOf(link), user })).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringMatching(/no longer/),
      });
      expect(await db.membership.count({ where: { teamId: tm.id, userId: user.id } })).toBe(0);
    }
    // The members page does not list them as if they worked: each says its sender can no longer invite.
    const listed = async () => {
      const r = await call(membersRoute, owner.user.id, { team: tm.slug });
      return (r.json!.invitations as { id: string; stale: boolean; invitedBy: string | null }[]).map((i) => ({ id: i.id, stale: i.stale, by: i.invitedBy }));
    };
    const fresh = await inviteMember({ db, actor: owner.actor, email: (await person("fresh")).email!, role: "MEMBER", appUrl: APP, sendEmail: false });
    expect(await listed()).toEqual(
      expect.arrayContaining([
        { id: byAdmin.invitation.id, stale: true, by: admin!.user.name },
        { id: byCoOwner.invitation.id, stale: true, by: coOwner!.user.name },
        { id: fresh.invitation.id, stale: false, by: owner.user.name },
      ]),
    );
    // An owner who sends it again vouches for it: then it stands.
    const again = await resendInvitation({
      db,
      actor: owner.actor,
      invitationId: byAdmin.invitation.id,
      appUrl: APP,
      sendEmail: false,
      now: new Date(Date.now() + 120_000),
    });
    expect(again.invitation.stale).toBe(false);
    expect((await listed()).find((i) => i.id === byAdmin.invitation.id)).toEqual({ id: byAdmin.invitation.id, stale: false, by: owner.user.name });
    await acceptInvitation({ db, token: tokenOf(again.link), user: alt });
    expect(await db.membership.findUnique({ where: { teamId_userId: { teamId: tm.id, userId: alt.id } } })).toMatchObject({ role: "ADMIN" });
  });
});

describe("roles, removal, leaving, ownership", () => {
  it("changes a role with before and after in the audit log; removes a member", async () => {
    const { team: tm, owner, people } = await team(["BILLING"]);
    const [billing] = people;
    expect(await changeMemberRole({ db, actor: owner.actor, membershipId: billing!.membership.id, role: "ADMIN" })).toEqual({
      id: billing!.membership.id,
      role: "ADMIN",
    });
    expect((await audits(tm.id, "member.role_changed"))[0]?.data).toMatchObject({ before: { role: "BILLING" }, after: { role: "ADMIN" } });
    await removeMember({ db, actor: owner.actor, membershipId: billing!.membership.id });
    expect(await db.membership.count({ where: { teamId: tm.id, userId: billing!.user.id } })).toBe(0);
    expect((await audits(tm.id, "member.removed"))[0]?.data).toMatchObject({ userId: billing!.user.id, role: "ADMIN" });
  });

  it("an admin manages non-owners only; a member manages nobody", async () => {
    const { owner, people } = await team(["ADMIN", "MEMBER"]);
    const [admin, member] = people;
    await expect(changeMemberRole({ db, actor: admin!.actor, membershipId: owner.membership.id, role: "ADMIN" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(removeMember({ db, actor: admin!.actor, membershipId: owner.membership.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(changeMemberRole({ db, actor: admin!.actor, membershipId: member!.membership.id, role: "OWNER" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(changeMemberRole({ db, actor: member!.actor, membershipId: admin!.membership.id, role: "MEMBER" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await changeMemberRole({ db, actor: admin!.actor, membershipId: member!.membership.id, role: "BILLING" })).toMatchObject({ role: "BILLING" });
  });

  it("the last owner cannot be demoted, removed or leave; a personal team's owner stays", async () => {
    const { team: tm, owner, people } = await team(["ADMIN"]);
    await expect(changeMemberRole({ db, actor: owner.actor, membershipId: owner.membership.id, role: "ADMIN" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/at least one owner/),
    });
    await expect(leaveTeam({ db, actor: owner.actor })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(removeMember({ db, actor: owner.actor, membershipId: owner.membership.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.membership.findUniqueOrThrow({ where: { id: owner.membership.id } })).toMatchObject({ role: "OWNER" });
    await leaveTeam({ db, actor: people[0]!.actor });
    expect((await audits(tm.id, "member.left"))[0]?.actorUserId).toBe(people[0]!.user.id);

    const solo = await person("solo");
    const personal = await ensurePersonalTeam({ db, userId: solo.id });
    const other = await person("co");
    await db.membership.create({ data: { teamId: personal.id, userId: other.id, role: "OWNER" } });
    const mine = await db.membership.findFirstOrThrow({ where: { teamId: personal.id, userId: solo.id } });
    await expect(changeMemberRole({ db, actor: actorOf(other.id, personal.id, "OWNER"), membershipId: mine.id, role: "MEMBER" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(leaveTeam({ db, actor: actorOf(solo.id, personal.id, "OWNER") })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("two owners demoting each other at once leave exactly one owner", async () => {
    for (let round = 0; round < 5; round++) {
      const { team: tm, owner, people } = await team(["OWNER"]);
      const [second] = people;
      const results = await Promise.allSettled([
        changeMemberRole({ db, actor: owner.actor, membershipId: second!.membership.id, role: "ADMIN" }),
        changeMemberRole({ db, actor: second!.actor, membershipId: owner.membership.id, role: "ADMIN" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await db.membership.count({ where: { teamId: tm.id, role: "OWNER" } })).toBe(1);
    }
  });

  it("two owners removing each other at once leave exactly one owner", async () => {
    for (let round = 0; round < 5; round++) {
      const { team: tm, owner, people } = await team(["OWNER"]);
      const [second] = people;
      await Promise.allSettled([
        removeMember({ db, actor: owner.actor, membershipId: second!.membership.id }),
        removeMember({ db, actor: second!.actor, membershipId: owner.membership.id }),
      ]);
      expect(await db.membership.count({ where: { teamId: tm.id, role: "OWNER" } })).toBe(1);
      expect(await audits(tm.id, "member.removed")).toHaveLength(1);
    }
  });

  it("transfers ownership: the member becomes owner, the owner an admin", async () => {
    const { team: tm, owner, people } = await team(["BILLING"]);
    await expect(transferOwnership({ db, actor: people[0]!.actor, membershipId: owner.membership.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await transferOwnership({ db, actor: owner.actor, membershipId: people[0]!.membership.id });
    expect(await db.membership.findUniqueOrThrow({ where: { id: people[0]!.membership.id } })).toMatchObject({ role: "OWNER" });
    expect(await db.membership.findUniqueOrThrow({ where: { id: owner.membership.id } })).toMatchObject({ role: "ADMIN" });
    expect((await audits(tm.id, "team.ownership_transferred"))[0]?.data).toMatchObject({
      to: { after: { role: "OWNER" } },
      from: { after: { role: "ADMIN" } },
    });
  });
});

describe("teams of one's own, and landing", () => {
  it("creates another team (no trial credits), and lands on the team last opened while still a member", async () => {
    const me = await person("me");
    const personal = await ensurePersonalTeam({ db, userId: me.id });
    expect(await homeTeamSlug({ db, userId: me.id })).toBe(personal.slug);
    const r = await call(createTeamRoute, me.id, {}, { name: "  Side project  " });
    expect(r.status).toBe(201);
    const created = await db.team.findUniqueOrThrow({ where: { slug: r.json!.slug as string } });
    expect(created).toMatchObject({ name: "Side project", personalOwnerId: null, balance: 0n });
    expect((await audits(created.id, "team.created"))[0]?.actorUserId).toBe(me.id);
    expect(await homeTeamSlug({ db, userId: me.id })).toBe(created.slug);
    await noteLastTeam({ db, userId: me.id, teamId: personal.id });
    expect(await homeTeamSlug({ db, userId: me.id })).toBe(personal.slug);
    const { team: tm, owner } = await team();
    await db.membership.create({ data: { teamId: tm.id, userId: me.id, role: "MEMBER" } });
    await noteLastTeam({ db, userId: me.id, teamId: tm.id });
    await removeMember({ db, actor: owner.actor, membershipId: (await db.membership.findFirstOrThrow({ where: { teamId: tm.id, userId: me.id } })).id });
    expect(await homeTeamSlug({ db, userId: me.id })).toBe(personal.slug);
    expect((await call(createTeamRoute, null, {}, { name: "x" })).status).toBe(401);
    expect((await call(createTeamRoute, me.id, {}, { name: " " })).json?.error).toMatchObject({ code: "VALIDATION_FAILED" });
  });
});

describe("the routes' refusals", () => {
  it("a member inviting is 403; an admin of team A acting on team B is 404; nothing changes", async () => {
    const a = await team(["ADMIN", "MEMBER"]);
    const b = await team(["MEMBER"]);
    const [adminA, memberA] = a.people;
    const r1 = await call(inviteRoute, memberA!.user.id, { team: a.team.slug }, { email: "new@example.test", role: "MEMBER" });
    expect(r1.status).toBe(403);
    const r2 = await call(inviteRoute, adminA!.user.id, { team: b.team.slug }, { email: "new@example.test", role: "MEMBER" });
    expect(r2.status).toBe(404);
    const r3 = await call(roleRoute, adminA!.user.id, { team: b.team.slug, id: b.people[0]!.membership.id }, { role: "ADMIN" });
    expect(r3.status).toBe(404);
    // Team B's membership id under team A's path names nothing in team A.
    const r4 = await call(removeRoute, adminA!.user.id, { team: a.team.slug, id: b.people[0]!.membership.id }, {});
    expect(r4.status).toBe(404);
    const r5 = await call(membersRoute, adminA!.user.id, { team: b.team.slug });
    expect(r5.status).toBe(404);
    expect(await db.teamInvitation.count({ where: { teamId: { in: [a.team.id, b.team.id] } } })).toBe(0);
    expect(await db.membership.findUniqueOrThrow({ where: { id: b.people[0]!.membership.id } })).toMatchObject({ role: "MEMBER" });

    const ok = await call(inviteRoute, adminA!.user.id, { team: a.team.slug }, { email: "new@example.test", role: "BILLING" });
    expect(ok.status).toBe(201);
    const bad = await call(inviteRoute, adminA!.user.id, { team: a.team.slug }, { email: "not an email", role: "BILLING" });
    expect(bad.json?.error).toMatchObject({ code: "VALIDATION_FAILED", field: "email" });
    const list = await call(membersRoute, memberA!.user.id, { team: a.team.slug });
    expect(list.json).toMatchObject({ yourRole: "MEMBER", invitations: [] });
    expect((list.json!.members as unknown[]).length).toBe(3);
  });

  it("accepting through the route: signed out 401, wrong person 403, then the invitee joins", async () => {
    const { team: tm, owner } = await team();
    const invitee = await person("invitee");
    const stranger = await person("stranger");
    const { link } = await inviteMember({ db, actor: owner.actor, email: invitee.email!, role: "BILLING", appUrl: APP, sendEmail: false });
    expect((await call(acceptRoute, null, {}, { token: tokenOf(link) })).status).toBe(401);
    expect((await call(acceptRoute, stranger.id, {}, { token: tokenOf(link) })).status).toBe(403);
    const ok = await call(acceptRoute, invitee.id, {}, { token: tokenOf(link) });
    expect(ok).toMatchObject({ status: 200, json: { teamSlug: tm.slug } });
    expect((await call(acceptRoute, invitee.id, {}, { token: tokenOf(link) })).status).toBe(409);
  });
});
