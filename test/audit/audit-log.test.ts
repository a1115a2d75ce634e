import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeAudit } from "../../components/audit/describe-audit";
import { auditPageData, parseAuditSearch } from "../../components/audit/audit-page-data";
import type { Actor } from "../../lib/auth/permissions";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { revokeApiKey } from "../../lib/billing/api-keys/revoke-api-key";
import type { AuditViewer } from "../../lib/billing/audit/audit-viewer";
import { listAuditActors } from "../../lib/billing/audit/list-audit-actors";
import { listAuditLog } from "../../lib/billing/audit/list-audit-log";
import { readTeamName } from "../../lib/billing/audit/read-team-name";
import { removeBudget } from "../../lib/billing/budgets/remove-budget";
import { saveBudget } from "../../lib/billing/budgets/save-budget";
import { adjustCredits } from "../../lib/billing/ledger/adjust-credits";
import type { TeamRole } from "../../lib/db/generated/enums";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makePlatformAdmin, makeTeam, makeTeamWithRoles, userActor } from "../billing/factories";
import { readWholeLog } from "./helpers";

// The audit log's read: newest first in keyset pages that stay put while rows are written, its filters, and who may
// read it (owners and admins of the team; platform admins for any team; nobody else).

let t: TestDatabase;
let team: Awaited<ReturnType<typeof makeTeamWithRoles>>;
let other: { teamId: string; userId: string; slug: string };
let users: Record<TeamRole, string>;
let platformAdminId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  team = await makeTeamWithRoles(t.db, { name: "Audited" });
  other = await makeTeam(t.db, { name: "Other" });
  users = team.users;
  platformAdminId = await makePlatformAdmin(t.db, "staff");
});
afterAll(() => t.close());

const as = (role: TeamRole, teamId = team.teamId): Actor => userActor(users[role], teamId, role);
const owner = () => as("OWNER");
const allPages = (viewer: AuditViewer, teamId: string, query: Record<string, string> = {}) => readWholeLog(t.db, viewer, teamId, query);

describe("paging", () => {
  it("pages newest first with no row lost or repeated, also among rows written in the same millisecond and while paging", async () => {
    const { teamId, userId } = await makeTeam(t.db, { name: "Paged" });
    const at = new Date("2026-11-10T12:00:00.000Z");
    // 40 rows, four to a millisecond (ties broken by id).
    for (let i = 0; i < 40; i++) {
      await t.db.auditLog.create({
        data: { teamId, actorUserId: userId, action: "api_key.created", data: { name: `k${i}` }, createdAt: new Date(at.getTime() + Math.floor(i / 4)) },
      });
    }
    const viewer = { kind: "platformAdmin" as const, userId: platformAdminId };
    const before = await allPages(viewer, teamId);
    expect(before).toHaveLength(40);
    expect(new Set(before.map((r) => r.id)).size).toBe(40);

    // Read page one, then rows arrive (newer, and one in the very millisecond of the page's last row), then page on.
    const first = await listAuditLog({ db: t.db, viewer, teamId, limit: 7 });
    for (let i = 0; i < 5; i++) await t.db.auditLog.create({ data: { teamId, action: "budget.set", data: {} } });
    await t.db.auditLog.create({ data: { teamId, action: "budget.set", data: {}, createdAt: first.rows[6]!.createdAt } });
    const rest = await allPages(viewer, teamId, { cursor: first.nextCursor! });
    const seen = [...first.rows, ...rest].map((r) => r.id);
    const tieRow = rest.find((r) => !before.some((b) => b.id === r.id));
    // Nothing from page one again, and the rows after it are exactly the ones there were (a same-millisecond row with a
    // smaller id would follow in its place; a larger one belongs to the page already read).
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.some((b) => b.id === id))).toEqual(before.map((b) => b.id));
    if (tieRow) expect(tieRow.id < first.rows[6]!.id).toBe(true);
    // The first page now starts with the new rows.
    const again = await listAuditLog({ db: t.db, viewer, teamId, limit: 7 });
    expect(again.rows.slice(0, 5).every((r) => r.action === "budget.set")).toBe(true);
  });

  it("refuses a cursor that is not a page of the log, and a limit cannot read the whole table at once", async () => {
    await expect(listAuditLog({ db: t.db, viewer: owner(), teamId: team.teamId, query: { cursor: "bm90LWEtY3Vyc29y" } })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    await expect(listAuditLog({ db: t.db, viewer: owner(), teamId: team.teamId, query: { cursor: "x y" } })).rejects.toThrow();
    const big = await listAuditLog({ db: t.db, viewer: owner(), teamId: team.teamId, limit: 1_000_000 });
    expect(big.rows.length).toBeLessThanOrEqual(200);
  });

  it("uses the (team_id, created_at, id) index for a page, however deep", async () => {
    // The test table is tiny, so a sequential scan would win on cost; without one, the plan must need no sort.
    const [, plan] = await t.db.$transaction([
      t.db.$executeRawUnsafe(`SET LOCAL enable_seqscan = off`),
      t.db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM audit_logs WHERE team_id = $1 AND (created_at < now() OR (created_at = now() AND id < 'z')) ORDER BY created_at DESC, id DESC LIMIT 51`,
        team.teamId,
      ),
    ]);
    const text = plan.map((p) => p["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/audit_logs_team_id_created_at_id_idx/);
    expect(text).not.toMatch(/Sort/);
  });
});

describe("filters", () => {
  let keyId: string;
  beforeAll(async () => {
    const key = await createApiKey({ db: t.db, teamId: team.teamId, name: "Worker", role: "BILLING", createdByUserId: users.ADMIN });
    keyId = key.apiKey.id;
    await saveBudget({ db: t.db, actor: as("BILLING"), input: { monthlyCapUsd: "5", hardCap: true, alertEmail: "ops@example.com" } });
    await saveBudget({
      db: t.db,
      actor: { kind: "apiKey", apiKeyId: keyId, keyName: "Worker", teamId: team.teamId, keyRole: "BILLING" },
      input: { monthlyCapUsd: 7 },
    });
    await adjustCredits({ db: t.db, teamId: team.teamId, amount: 500n, reason: "goodwill", actorUserId: platformAdminId, idempotencyKey: randomUUID() });
    await revokeApiKey({ db: t.db, teamId: team.teamId, apiKeyId: keyId, actorUserId: users.OWNER });
    // A row of another team never shows.
    await saveBudget({
      db: t.db,
      actor: userActor(other.userId, other.teamId, "OWNER"),
      input: { monthlyCapUsd: "1" },
    });
  });

  it("by kind of change, by actor (person, key, the system) and by UTC days", async () => {
    const actions = async (query: Record<string, string>) => (await allPages(owner(), team.teamId, query)).map((r) => r.action);
    expect(await actions({ group: "budget" })).toEqual(["budget.set", "budget.set"]);
    expect(await actions({ group: "api_keys" })).toEqual(["api_key.revoked", "api_key.created"]);
    expect(await actions({ group: "adjustments" })).toEqual(["credits.adjusted"]);
    expect(await actions({ actor: `user:${users.BILLING}` })).toEqual(["budget.set"]);
    expect(await actions({ actor: `key:${keyId}` })).toEqual(["budget.set"]);
    expect(await actions({ actor: `user:${platformAdminId}` })).toEqual(["credits.adjusted"]);
    expect(await actions({ actor: "system" })).toEqual([]);
    expect(await actions({ group: "budget", actor: `user:${users.OWNER}` })).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await actions({ group: "budget", from: today, to: today })).toHaveLength(2);
    expect(await actions({ group: "budget", from: "2020-01-01", to: "2020-01-31" })).toEqual([]);
    expect(await actions({ group: "budget", to: "2020-01-31" })).toEqual([]);
  });

  it("names who did it: a person, an API key, a platform admin", async () => {
    const rows = await allPages(owner(), team.teamId, { group: "budget" });
    expect(rows.map((r) => r.actor)).toEqual([
      { kind: "apiKey", id: keyId, name: "Worker", prefix: expect.any(String) },
      { kind: "user", id: users.BILLING, name: "BILLING person", email: expect.stringMatching(/^billing-/), platformAdmin: false },
    ]);
    const [adjusted] = await allPages(owner(), team.teamId, { group: "adjustments" });
    expect(adjusted!.actor).toMatchObject({ kind: "user", id: platformAdminId, platformAdmin: true });
    expect(describeAudit(adjusted!.action, adjusted!.data)).toEqual({
      what: "Adjusted the balance by +500 credits. Reason: goodwill",
      changes: [{ label: "Balance", before: "0 credits", after: "500 credits" }],
    });
  });

  it("API keys: created and revoked, with the status before and after", async () => {
    const rows = await allPages(owner(), team.teamId, { group: "api_keys" });
    expect(rows.map((r) => describeAudit(r.action, r.data))).toEqual([
      { what: expect.stringMatching(/^Revoked API key “Worker” \(cdk_/), changes: [{ label: "Status", before: "active", after: "revoked" }] },
      { what: expect.stringMatching(/^Created API key “Worker” \(billing, cdk_/), changes: [] },
    ]);
    expect(rows.map((r) => (r.actor.kind === "user" ? r.actor.id : null))).toEqual([users.OWNER, users.ADMIN]);
  });

  it("the actor filter offers the team's members and keys, not another team's", async () => {
    const options = await listAuditActors({ db: t.db, viewer: owner(), teamId: team.teamId });
    expect(options.map((o) => o.value)).toEqual([...Object.values(users).map((u) => `user:${u}`), `key:${keyId}`, "system"]);
    await expect(listAuditActors({ db: t.db, viewer: as("MEMBER"), teamId: team.teamId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses filters that are not filters (each on its own; the others still apply)", () => {
    expect(parseAuditSearch({ group: "budget", actor: "user:'; DROP TABLE", from: "2026-13-45", to: "yesterday", cursor: "a b" })).toEqual({
      query: { group: "budget" },
      problems: ["who is not a person, key or the system", "from must be a real date", "to must be a date like 2026-12-01", "page is not a page of this log"],
    });
    expect(parseAuditSearch({ group: "nope", from: "2026-12-05", to: "2026-12-01" })).toEqual({
      query: { from: "2026-12-05" },
      problems: ["kind of change is not a kind of change", "from is after to"],
    });
  });

  it("a hand-edited page or a day the database cannot hold is named as a problem, never an error page", async () => {
    // Each decodes or parses as a date to JavaScript, but PostgreSQL refuses it (a NUL in text, a year before 4713 BC,
    // year 0): the page must start again from the newest rather than fail.
    const page = (s: string) => Buffer.from(s).toString("base64url");
    for (const search of [
      { cursor: page("2026-01-01T00:00:00.000Z|a\u0000b") },
      { cursor: page("-271821-04-20T00:00:00.000Z|x") },
      { cursor: page("0000-01-01T00:00:00.000Z|x") },
      { from: "0000-01-01" },
      { to: "0000-01-01" },
    ]) {
      const shown = await auditPageData({ db: t.db, viewer: owner(), teamId: team.teamId, search });
      expect(shown.problems, JSON.stringify(search)).toHaveLength(1);
      expect(shown.rows.length).toBeGreaterThan(0);
    }
  });
});

describe("who may read it", () => {
  it("owners and admins read their team's log; billing members and members are refused", async () => {
    for (const role of ["OWNER", "ADMIN"] as const)
      expect((await listAuditLog({ db: t.db, viewer: as(role), teamId: team.teamId })).rows.length).toBeGreaterThan(0);
    for (const role of ["BILLING", "MEMBER"] as const)
      await expect(listAuditLog({ db: t.db, viewer: as(role), teamId: team.teamId })).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
  });

  it("an API key cannot read it, even a billing key", async () => {
    const key = await createApiKey({ db: t.db, teamId: team.teamId, name: "Reader", role: "BILLING", createdByUserId: users.OWNER });
    await expect(
      listAuditLog({
        db: t.db,
        viewer: { kind: "apiKey", apiKeyId: key.apiKey.id, keyName: key.apiKey.name, teamId: team.teamId, keyRole: "BILLING" },
        teamId: team.teamId,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("the owner of another team finds nothing (404), whichever team id they name", async () => {
    const outsider = userActor(other.userId, other.teamId, "OWNER");
    await expect(listAuditLog({ db: t.db, viewer: outsider, teamId: team.teamId })).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    // Their own log has only their own rows.
    const own = await allPages(outsider, other.teamId);
    expect(own.every((r) => r.actor.kind !== "user" || r.actor.id === other.userId)).toBe(true);
    expect(own.map((r) => r.action)).toEqual(["budget.set"]);
  });

  it("a platform admin reads any team's log; a signed-in user who is not one is refused, whatever they claim", async () => {
    const staff = { kind: "platformAdmin" as const, userId: platformAdminId };
    const all = await allPages(staff, team.teamId);
    expect(all.map((r) => r.action)).toContain("credits.adjusted");
    expect(await readTeamName({ db: t.db, viewer: staff, teamId: team.teamId })).toEqual({ id: team.teamId, name: "Audited", slug: team.slug });
    expect(await readTeamName({ db: t.db, viewer: staff, teamId: "team_nope" })).toBeNull();
    // A hand-typed address (/admin/customers/%00/audit) names no team: a 404, not a database error.
    for (const teamId of ["a\u0000b", "\ud800", "x".repeat(300)]) expect(await readTeamName({ db: t.db, viewer: staff, teamId })).toBeNull();
    // The owner of the team itself is not a platform admin: the admin page's read refuses them.
    await expect(listAuditLog({ db: t.db, viewer: { kind: "platformAdmin", userId: users.OWNER }, teamId: team.teamId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(readTeamName({ db: t.db, viewer: { kind: "platformAdmin", userId: users.OWNER }, teamId: team.teamId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("rows written by the core, in words", () => {
  it("budget set, changed and removed keep the settings before and after", async () => {
    const { teamId, userId } = await makeTeam(t.db);
    const actor = userActor(userId, teamId, "OWNER");
    await saveBudget({ db: t.db, actor, input: { monthlyCapUsd: "500", hardCap: false, allowSoftOverage: true, alertEmail: "ops@example.com" } });
    await saveBudget({ db: t.db, actor, input: { monthlyCapUsd: "750.50", hardCap: true, alertEmail: "" } });
    await removeBudget({ db: t.db, actor });
    const rows = (await allPages(actor, teamId, { group: "budget" })).reverse();
    expect(rows.map((r) => describeAudit(r.action, r.data))).toEqual([
      {
        what: "Set the budget",
        changes: [
          { label: "Monthly cap", before: "—", after: "$500.00" },
          { label: "Kind", before: "—", after: "soft cap" },
          { label: "Spending past a soft cap", before: "—", after: "allowed" },
          { label: "Alert email", before: "—", after: "ops@example.com" },
        ],
      },
      {
        what: "Changed the budget",
        changes: [
          { label: "Monthly cap", before: "$500.00", after: "$750.50" },
          { label: "Kind", before: "soft cap", after: "hard cap" },
          { label: "Alert email", before: "ops@example.com", after: "none" },
        ],
      },
      {
        what: "Removed the budget",
        changes: [
          { label: "Monthly cap", before: "$750.50", after: "—" },
          { label: "Kind", before: "hard cap", after: "—" },
          { label: "Spending past a soft cap", before: "allowed", after: "—" },
          { label: "Alert email", before: "none", after: "—" },
        ],
      },
    ]);
    expect(rows.every((r) => r.actor.kind === "user" && r.actor.id === userId)).toBe(true);
    await expect(removeBudget({ db: t.db, actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db.auditLog.count({ where: { teamId, action: "budget.removed" } })).toBe(1);
  });

  it("every action of the log reads as words, the members helper's too, and an unknown one still reads", () => {
    expect(describeAudit("member.role_changed", { email: "a@example.com", before: { role: "MEMBER" }, after: { role: "BILLING" } })).toEqual({
      what: "Changed the role of a@example.com",
      changes: [{ label: "Role", before: "member", after: "billing" }],
    });
    expect(describeAudit("invitation.revoked", { email: "b@example.com", role: "ADMIN" }).what).toBe("Revoked the invitation of b@example.com");
    expect(
      describeAudit("payment.refunded", {
        amountCents: "2500",
        currency: "usd",
        creditsDelta: "1000000",
        before: { status: "SUCCEEDED", refundedCents: "0" },
        after: { status: "PARTIALLY_REFUNDED", refundedCents: "1250" },
      }),
    ).toEqual({
      what: "Refund on the $25.00 payment; 1,000,000 credits taken back",
      changes: [
        { label: "Status", before: "succeeded", after: "partially refunded" },
        { label: "Refunded", before: "$0.00", after: "$12.50" },
      ],
    });
    expect(describeAudit("credit_line.suspended", { reason: "late" }).what).toBe("Suspended drawing on the credit line. Reason: late");
    expect(describeAudit("something.new_kind", { before: { x: 1 }, after: { x: 2 } })).toEqual({
      what: "Something new kind",
      changes: [{ label: "x", before: "1", after: "2" }],
    });
    // A budget row from before the log kept "before" (its settings at the top level) still reads.
    expect(describeAudit("budget.set", { scope: "team", monthlyCapCents: "100", hardCap: true, allowSoftOverage: true, alertEmail: null }).changes[0]).toEqual({
      label: "Monthly cap",
      before: "—",
      after: "$1.00",
    });
  });
});
