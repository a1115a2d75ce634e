import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Team administration read as a hostile member would: names that would forge lines in the emails quoting them, and the races members.test.ts leaves out (revoking an invitation while it is accepted, leaving while
// being promoted), on the real database.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { POST as createTeamRoute } from "../../app/api/teams/route";
import { POST as acceptRoute } from "../../app/api/invitations/accept/route";
import { POST as createKeyRoute } from "../../app/api/teams/[team]/api-keys/route";
import { PUT as keyLimitRoute } from "../../app/api/teams/[team]/api-keys/[id]/limit/route";
import { POST as revokeKeyRoute } from "../../app/api/teams/[team]/api-keys/[id]/revoke/route";
import { POST as inviteRoute } from "../../app/api/teams/[team]/invitations/route";
import { POST as resendRoute } from "../../app/api/teams/[team]/invitations/[id]/resend/route";
import { POST as revokeRoute } from "../../app/api/teams/[team]/invitations/[id]/revoke/route";
import { POST as leaveRoute } from "../../app/api/teams/[team]/leave/route";
import { GET as membersRoute } from "../../app/api/teams/[team]/members/route";
import { POST as removeRoute } from "../../app/api/teams/[team]/members/[id]/remove/route";
import { POST as roleRoute } from "../../app/api/teams/[team]/members/[id]/role/route";
import { POST as transferRoute } from "../../app/api/teams/[team]/members/[id]/transfer-ownership/route";
import type { Db } from "../../lib/db/client";
import type { TeamRole } from "../../lib/db/generated/enums";
import { createTeam } from "../../lib/teams/create-team";
import { ensurePersonalTeam } from "../../lib/teams/ensure-personal-team";
import { acceptInvitation } from "../../lib/teams/members/accept-invitation";
import { changeMemberRole } from "../../lib/teams/members/change-member-role";
import { inviteMember } from "../../lib/teams/members/invite-member";
import { leaveTeam } from "../../lib/teams/members/leave-team";
import type { UserActor } from "../../lib/teams/members/member-rules";
import { revokeInvitation } from "../../lib/teams/members/revoke-invitation";
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

const person = (label = "p") => db.user.create({ data: { email: `${label}-${++n}@example.test`, name: `${label} ${n}` } });
const actorOf = (userId: string, teamId: string, role: TeamRole): UserActor => ({ kind: "user", userId, teamId, role, isPlatformAdmin: false });
const tokenOf = (link: string | null) => new URL(link!).searchParams.get("token")!;

async function teamOf(owner: { id: string }) {
  return db.$transaction((tx) => createTeam({ db: tx, name: `Team ${++n}`, ownerUserId: owner.id }));
}

/** The owner invites an address as an admin; the link comes back (no email). */
const inviteAdmin = (owner: { id: string }, teamId: string, email: string) =>
  inviteMember({ db, actor: actorOf(owner.id, teamId, "OWNER"), email, role: "ADMIN", appUrl: APP, sendEmail: false });

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function post(
  handler: Handler,
  userId: string,
  params: Record<string, string>,
  body: unknown,
  { method = "POST", headers = { origin: APP, "content-type": "application/json" } }: { method?: string; headers?: Record<string, string> } = {},
) {
  session.userId = userId;
  const req = new Request(`${APP}/api/x`, { method, headers, body: method === "GET" ? undefined : JSON.stringify(body) });
  const res = await handler(req, { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; field?: string } } & Record<string, unknown> };
}

describe("names are one line of text", () => {
  // A team's name is written into the invitation emails sent to outsiders (and printed on its invoices, where a control
  // character comes out as "?"): a line break in it forges lines in the email ("Accept here instead: <another link>").
  it.each([
    ["a line break", "Acme\n\nAccept here instead: https://evil.example/invite"],
    ["a carriage return", "Acme\rPaid in full"],
    ["an escape", "Acme\u001b[31m"],
    ["a C1 control", "Acme\u0085Next line"],
    ["a line separator", "Acme\u2028Paid"],
  ])("refuses a team name with %s, and creates no team", async (_what, name) => {
    const u = await person("creator");
    const before = await db.membership.count({ where: { userId: u.id } });
    const r = await post(createTeamRoute, u.id, {}, { name });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "name" });
    expect(await db.membership.count({ where: { userId: u.id } })).toBe(before);
  });

  it("keeps a name with markup, quotes and non-Latin letters as typed (pages render it as text)", async () => {
    const u = await person("creator");
    const r = await post(createTeamRoute, u.id, {}, { name: `<b>Ünïcødé</b> "Team" & 東京` });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ name: `<b>Ünïcødé</b> "Team" & 東京` });
  });

  // A key's name goes into the spending-limit emails (cd_api_key_limit_note) and the audit log.
  it("refuses an API key name with control characters, and creates no key; a plain one is made", async () => {
    const owner = await person("owner");
    const tm = await teamOf(owner);
    for (const name of ['ci\nAPI key "prod" was revoked', "ci\u0000", "ci\u0007bell", "ci\u2029deploy"]) {
      const r = await post(createKeyRoute, owner.id, { team: tm.slug }, { name, role: "READ_ONLY" });
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(r.json.error).toMatchObject({ code: "VALIDATION_FAILED" });
    }
    expect(await db.apiKey.count({ where: { teamId: tm.id } })).toBe(0);
    const ok = await post(createKeyRoute, owner.id, { team: tm.slug }, { name: "CI <deploy> key", role: "READ_ONLY" });
    expect(ok.status).toBe(201);
    expect(await db.apiKey.count({ where: { teamId: tm.id } })).toBe(1);
  });
});

describe("names a sign-in provider sent", () => {
  const FORGED = "Eve\n\nAccept here instead: https://evil.example/invite\r\n";

  it("a personal team named after a multi-line name is one line", async () => {
    const u = await db.user.create({ data: { email: `eve-${++n}@example.test`, name: FORGED } });
    const tm = await ensurePersonalTeam({ db, userId: u.id });
    expect(tm.name).toBe("Eve  Accept here instead: https://evil.example/invite's team");
  });

  it("the invitation email an outsider reads gets no lines from the inviter's or an unchecked team's name", async () => {
    const eve = await db.user.create({ data: { email: `eve-${++n}@example.test`, name: FORGED } });
    // A team named before names were checked (createTeam itself takes any name).
    const tm = await db.$transaction((tx) => createTeam({ db: tx, name: "Acme\u2028Accept here instead: https://evil.example/2", ownerUserId: eve.id }));
    await inviteMember({ db, actor: actorOf(eve.id, tm.id, "OWNER"), email: "victim@example.test", role: "MEMBER", appUrl: APP, sendEmail: true });
    const mail = await db.notification.findFirstOrThrow({ where: { teamId: tm.id, kind: "team_invitation" } });
    expect(mail.title).not.toMatch(/[\n\r\u2028]/);
    const lines = mail.body.split(/\r\n|\n|\r|\u2028|\u2029/);
    expect(lines.filter((l) => l.startsWith("Accept here"))).toEqual([expect.stringMatching(/^Accept here, signed in as victim@example\.test /)]);
    expect(lines.filter((l) => l.startsWith("http"))).toEqual([expect.stringMatching(/^http:\/\/app\.test\/invite\?token=/)]);
  });
});

describe("only the invited address accepts", () => {
  // The account's address is whatever its sign-in provider sent; only the case of ASCII letters may differ.
  it.each([
    ["the Kelvin sign (toLowerCase folds it into k)", "\u212Aate"],
    ["a no-break space after it", "kate", "\u00a0"],
    ["a byte-order mark before it", "\ufeffkate"],
    ["a space before it", " kate"],
    ["a Cyrillic a", "k\u0430te"],
    ["plus-addressing", "kate+team"],
    ["a trailing dot on the domain", "kate", "."],
  ])("refuses an account whose address differs by %s; the invitation stays open", async (_what, local, tail = "") => {
    const owner = await person("owner");
    const tm = await teamOf(owner);
    const domain = `corp-${++n}.example`;
    const { invitation, link } = await inviteAdmin(owner, tm.id, `kate@${domain}`);
    const other = await db.user.create({ data: { email: `${local}@${domain}${tail}` } });
    await expect(acceptInvitation({ db, token: tokenOf(link), user: { id: other.id, email: other.email } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.membership.count({ where: { teamId: tm.id, userId: other.id } })).toBe(0);
    expect(await db.teamInvitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({ acceptedAt: null });
    // The invited person, signed in with their address in capitals, still accepts it.
    const kate = await db.user.create({ data: { email: `KATE@${domain.toUpperCase()}` } });
    await expect(acceptInvitation({ db, token: tokenOf(link), user: { id: kate.id, email: kate.email } })).resolves.toEqual({ teamSlug: tm.slug });
  });
});

describe("races the team row lock settles", () => {
  it("revoking an invitation while it is accepted: either the invitee joined and the revoke is refused, or it was revoked and nobody joined", async () => {
    for (let i = 0; i < 4; i++) {
      const owner = await person("owner");
      const tm = await teamOf(owner);
      const invitee = await person("invitee");
      const { invitation, link } = await inviteAdmin(owner, tm.id, invitee.email!);
      const [accepted, revoked] = await Promise.allSettled([
        acceptInvitation({ db, token: tokenOf(link), user: { id: invitee.id, email: invitee.email } }),
        revokeInvitation({ db, actor: actorOf(owner.id, tm.id, "OWNER"), invitationId: invitation.id }),
      ]);
      expect([accepted.status, revoked.status].sort()).toEqual(["fulfilled", "rejected"]);
      const row = await db.teamInvitation.findUniqueOrThrow({ where: { id: invitation.id } });
      const joined = await db.membership.count({ where: { teamId: tm.id, userId: invitee.id } });
      if (accepted.status === "fulfilled") {
        expect({ joined, accepted: row.acceptedAt !== null, revoked: row.revokedAt }).toEqual({ joined: 1, accepted: true, revoked: null });
      } else {
        expect({ joined, accepted: row.acceptedAt, revoked: row.revokedAt !== null }).toEqual({ joined: 0, accepted: null, revoked: true });
      }
      const actions = (await db.auditLog.findMany({ where: { teamId: tm.id, action: { in: ["invitation.accepted", "invitation.revoked"] } } })).map(
        (a) => a.action,
      );
      expect(actions).toEqual([accepted.status === "fulfilled" ? "invitation.accepted" : "invitation.revoked"]);
    }
  });

  it("leaving while being promoted to owner: the team never ends without an owner, and the leaver is gone or an owner, not both", async () => {
    for (let i = 0; i < 4; i++) {
      const owner = await person("owner");
      const tm = await teamOf(owner);
      const u = await person("member");
      const m = await db.membership.create({ data: { teamId: tm.id, userId: u.id, role: "MEMBER" } });
      const [left, promoted] = await Promise.allSettled([
        leaveTeam({ db, actor: actorOf(u.id, tm.id, "MEMBER") }),
        changeMemberRole({ db, actor: actorOf(owner.id, tm.id, "OWNER"), membershipId: m.id, role: "OWNER" }),
      ]);
      expect(left.status).toBe("fulfilled"); // a member, or an owner beside another owner, may leave
      const after = await db.membership.findMany({ where: { teamId: tm.id }, select: { userId: true, role: true } });
      expect(after).toEqual([{ userId: owner.id, role: "OWNER" }]);
      if (promoted.status === "rejected") expect(promoted.reason).toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("the last owner leaving while they demote the only other owner: one of the two is refused, an owner stays", async () => {
    for (let i = 0; i < 4; i++) {
      const a = await person("owner");
      const tm = await teamOf(a);
      const b = await person("owner");
      const mb = await db.membership.create({ data: { teamId: tm.id, userId: b.id, role: "OWNER" } });
      const results = await Promise.allSettled([
        leaveTeam({ db, actor: actorOf(a.id, tm.id, "OWNER") }),
        changeMemberRole({ db, actor: actorOf(a.id, tm.id, "OWNER"), membershipId: mb.id, role: "MEMBER" }),
        leaveTeam({ db, actor: actorOf(b.id, tm.id, "OWNER") }),
      ]);
      expect(results.some((r) => r.status === "rejected")).toBe(true);
      expect(await db.membership.count({ where: { teamId: tm.id, role: "OWNER" } })).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("cross-site requests and a removed member's open session", () => {
  /** A team with an owner, an admin and a member, an open invitation and an API key: every route below has a target. */
  async function scene() {
    const owner = await person("owner");
    const tm = await teamOf(owner);
    const [admin, member] = [await person("admin"), await person("member")];
    const ma = await db.membership.create({ data: { teamId: tm.id, userId: admin.id, role: "ADMIN" } });
    const mm = await db.membership.create({ data: { teamId: tm.id, userId: member.id, role: "MEMBER" } });
    const invitee = await person("invitee");
    const { invitation, link } = await inviteAdmin(owner, tm.id, invitee.email!);
    const key = await db.apiKey.create({ data: { teamId: tm.id, name: "ci", role: "BILLING", prefix: `cdk_live_${n}`, hashedKey: `h-${tm.id}` } });
    const team = { team: tm.slug };
    const routes: [string, Handler, string, Record<string, string>, unknown][] = [
      ["invite", inviteRoute, owner.id, team, { email: "new@example.test", role: "OWNER" }],
      ["resend", resendRoute, owner.id, { ...team, id: invitation.id }, {}],
      ["revoke invitation", revokeRoute, owner.id, { ...team, id: invitation.id }, {}],
      ["accept", acceptRoute, invitee.id, {}, { token: tokenOf(link) }],
      ["role", roleRoute, owner.id, { ...team, id: mm.id }, { role: "OWNER" }],
      ["remove", removeRoute, owner.id, { ...team, id: ma.id }, {}],
      ["transfer", transferRoute, owner.id, { ...team, id: mm.id }, {}],
      ["leave", leaveRoute, admin.id, team, {}],
      ["create key", createKeyRoute, owner.id, team, { name: "evil", role: "BILLING" }],
      ["revoke key", revokeKeyRoute, owner.id, { ...team, id: key.id }, {}],
      ["key limit", keyLimitRoute, owner.id, { ...team, id: key.id }, { credits: "1", period: "DAY" }],
    ];
    return { tm, owner, admin, member, ma, mm, routes };
  }

  const state = async (teamId: string) => ({
    members: await db.membership.findMany({ where: { teamId }, select: { userId: true, role: true }, orderBy: { userId: "asc" } }),
    invitations: await db.teamInvitation.findMany({ where: { teamId }, select: { tokenHash: true, acceptedAt: true, revokedAt: true } }),
    keys: await db.apiKey.findMany({ where: { teamId }, select: { id: true, revokedAt: true, limitCredits: true } }),
    audit: await db.auditLog.count({ where: { teamId } }),
  });

  it("every team-administration route refuses a cross-site or unprovable origin (403) and a form body (415), and changes nothing", async () => {
    const { tm, routes } = await scene();
    const before = await state(tm.id);
    const refused: [Record<string, string>, number][] = [
      [{ origin: "https://evil.example", "content-type": "application/json" }, 403],
      [{ origin: "null", "content-type": "application/json" }, 403],
      [{ "sec-fetch-site": "cross-site", "content-type": "application/json" }, 403],
      [{ "content-type": "application/json" }, 403],
      [{ origin: APP, "content-type": "text/plain" }, 415],
    ];
    for (const [name, handler, userId, params, body] of routes) {
      const method = name === "key limit" ? "PUT" : "POST";
      for (const [headers, status] of refused) {
        const r = await post(handler, userId, params, body, { method, headers });
        expect(r.status, `${name} ${JSON.stringify(headers)}`).toBe(status);
      }
    }
    expect(await state(tm.id)).toEqual(before);
  });

  it("a removed admin's session still open reads and changes nothing in the team (404), at once", async () => {
    const { tm, owner, admin, ma, mm, routes } = await scene();
    expect((await post(membersRoute, admin.id, { team: tm.slug }, undefined, { method: "GET", headers: {} })).status).toBe(200);
    expect((await post(removeRoute, owner.id, { team: tm.slug, id: ma.id }, {})).status).toBe(200);
    const before = await state(tm.id);
    expect((await post(membersRoute, admin.id, { team: tm.slug }, undefined, { method: "GET", headers: {} })).status).toBe(404);
    for (const [name, handler, , params, body] of routes.filter(([, , , p]) => "team" in p)) {
      const r = await post(handler, admin.id, params, body, { method: name === "key limit" ? "PUT" : "POST" });
      expect(r.status, name).toBe(404);
    }
    expect(await state(tm.id)).toEqual(before);
    expect(mm.role).toBe("MEMBER");
  });
});

describe("ids of another team", () => {
  it("an owner of team A naming team B's invitation, membership or key under A's path: 404, and B is unchanged", async () => {
    const [ownerA, ownerB] = [await person("owner"), await person("owner")];
    const [a, b] = [await teamOf(ownerA), await teamOf(ownerB)];
    const memberB = await person("member");
    const mb = await db.membership.create({ data: { teamId: b.id, userId: memberB.id, role: "MEMBER" } });
    const { invitation } = await inviteAdmin(ownerB, b.id, `someone-${n}@example.test`);
    const keyB = await db.apiKey.create({ data: { teamId: b.id, name: "ci", role: "BILLING", prefix: `cdk_live_b${n}`, hashedKey: `h-${b.id}` } });
    const before = await db.$transaction([
      db.teamInvitation.findUniqueOrThrow({ where: { id: invitation.id } }),
      db.membership.findMany({ where: { teamId: { in: [a.id, b.id] } }, orderBy: { id: "asc" } }),
      db.apiKey.findUniqueOrThrow({ where: { id: keyB.id } }),
    ]);
    const inA = (id: string) => ({ team: a.slug, id });
    const tries: [string, Handler, Record<string, string>, unknown, string?][] = [
      ["resend", resendRoute, inA(invitation.id), {}],
      ["revoke invitation", revokeRoute, inA(invitation.id), {}],
      ["transfer", transferRoute, inA(mb.id), {}],
      ["role", roleRoute, inA(mb.id), { role: "ADMIN" }],
      ["remove", removeRoute, inA(mb.id), {}],
      ["revoke key", revokeKeyRoute, inA(keyB.id), {}],
      ["key limit", keyLimitRoute, inA(keyB.id), { credits: "1", period: "DAY" }, "PUT"],
    ];
    for (const [name, handler, params, body, method] of tries) {
      const r = await post(handler, ownerA.id, params, body, { method });
      expect(r.status, name).toBe(404);
    }
    const after = await db.$transaction([
      db.teamInvitation.findUniqueOrThrow({ where: { id: invitation.id } }),
      db.membership.findMany({ where: { teamId: { in: [a.id, b.id] } }, orderBy: { id: "asc" } }),
      db.apiKey.findUniqueOrThrow({ where: { id: keyB.id } }),
    ]);
    expect(after).toEqual(before);
  });
});
