import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The dashboard's budget form route as Next runs it, with the session replaced by a signed-in test user: the same
// answer as GET /api/v1/billing/budget, billing roles may change it, everyone else is refused and nothing changes.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import * as teamBudget from "../../app/api/teams/[team]/budget/route";
import { GET as apiBudget } from "../../app/api/v1/billing/budget/route";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import type { TeamRole } from "../../lib/db/generated/enums";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, makeTeamWithRoles } from "../billing/factories";

let t: TestDatabase;
let team: Awaited<ReturnType<typeof makeTeamWithRoles>>;
let other: { teamId: string; userId: string; slug: string };
let users: Record<TeamRole, string>;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  team = await makeTeamWithRoles(t.db, { credits: 1_000_000n });
  other = await makeTeam(t.db);
  users = team.users;
});
afterAll(() => t.close());

type Handler = (req: Request, ctx: { params: Promise<{ team: string }> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field below
async function call(handler: Handler, as: string, method: string, body?: unknown, slug = team.slug): Promise<{ status: number; json: any }> {
  session.userId = as;
  const init: RequestInit =
    method === "GET" ? { method } : { method, headers: { "content-type": "application/json", origin: "http://app.test" }, body: JSON.stringify(body ?? {}) };
  const res = await handler(new Request(`http://app.test/api/teams/${slug}/budget`, init), { params: Promise.resolve({ team: slug }) });
  return { status: res.status, json: await res.json() };
}
const put = (as: string, body: unknown, slug?: string) => call(teamBudget.PUT, as, "PUT", body, slug);
/** A PUT as the browser would send it from `origin` (the app's own, or another site's). */
const putFrom = (origin: string, body: unknown) =>
  teamBudget.PUT(
    new Request(`http://app.test/api/teams/${team.slug}/budget`, {
      method: "PUT",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ team: team.slug }) },
  );
const good = { monthly_cap_usd: "500.00", alert_email: "ops@example.com", hard_cap: true, allow_soft_overage: false };
const state = async () => ({
  budgets: await t.db.budget.findMany({ where: { teamId: team.teamId } }),
  audits: await t.db.auditLog.count({ where: { teamId: team.teamId, action: { startsWith: "budget." } } }),
});

describe("the budget form's route", () => {
  it("a billing member sets, changes and removes the budget; the answer is exactly what the API's GET answers", async () => {
    expect((await call(teamBudget.GET, users.BILLING, "GET")).json).toMatchObject({ monthly_cap_usd: null, hard_cap: false, allow_soft_overage: true });
    const set = await put(users.BILLING, good);
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ monthly_cap_usd: 500, hard_cap: true, allow_soft_overage: false, alert_email: "ops@example.com", alerts_sent: [] });
    await debitCredits({ db: t.db, teamId: team.teamId, amount: 20_000n, idempotencyKey: randomUUID() });
    const key = await createApiKey({ db: t.db, teamId: team.teamId, name: "reader", role: "READ_ONLY", createdByUserId: team.userId });
    const viaKey = await apiBudget(new Request("http://localhost/api/v1/billing/budget", { headers: { authorization: `Bearer ${key.secret}` } }));
    const viaForm = await call(teamBudget.GET, users.BILLING, "GET");
    expect(viaForm.json).toEqual(await viaKey.json());
    expect(viaForm.json.current_spend_usd).toBe(0.25);

    // An empty alert email means none; omitted is refused (the form always sends every field).
    const changed = await put(users.ADMIN, { ...good, monthly_cap_usd: "750.5", alert_email: "  ", hard_cap: false, allow_soft_overage: true });
    expect(changed.json).toMatchObject({ monthly_cap_usd: 750.5, alert_email: null, hard_cap: false, allow_soft_overage: true });

    const removed = await call(teamBudget.DELETE, users.OWNER, "DELETE");
    expect(removed.status).toBe(200);
    expect(removed.json).toMatchObject({ monthly_cap_usd: null, current_spend_usd: 0.25 });
    expect((await call(teamBudget.DELETE, users.OWNER, "DELETE")).json.error).toMatchObject({ code: "NOT_FOUND", message: "There is no budget to remove." });
    const rows = await t.db.auditLog.findMany({ where: { teamId: team.teamId, action: { startsWith: "budget." } }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.action, r.actorUserId])).toEqual([
      ["budget.set", users.BILLING],
      ["budget.set", users.ADMIN],
      ["budget.removed", users.OWNER],
    ]);
  });

  it("a member can neither read nor change it (403), and nothing changes", async () => {
    await put(users.OWNER, good);
    const before = await state();
    expect((await call(teamBudget.GET, users.MEMBER, "GET")).status).toBe(403);
    const refused = await put(users.MEMBER, { ...good, monthly_cap_usd: "1" });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: "FORBIDDEN" });
    expect((await call(teamBudget.DELETE, users.MEMBER, "DELETE")).status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("another team's owner and a signed-out visitor are refused, and nothing changes", async () => {
    const before = await state();
    const outsider = await put(other.userId, { ...good, monthly_cap_usd: "1" });
    expect(outsider.status).toBe(404);
    expect((await call(teamBudget.DELETE, other.userId, "DELETE")).status).toBe(404);
    session.userId = null;
    expect((await putFrom("http://app.test", good)).status).toBe(401);
    // A cross-site form post with the owner's cookie.
    session.userId = users.OWNER;
    expect((await putFrom("http://evil.test", good)).status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("bad input names the field and changes nothing", async () => {
    const before = await state();
    const cases: [unknown, string, RegExp][] = [
      [{ ...good, monthly_cap_usd: "abc" }, "monthly_cap_usd", /dollar amount/],
      [{ ...good, monthly_cap_usd: "0" }, "monthly_cap_usd", /more than 0/],
      [{ ...good, monthly_cap_usd: "-5" }, "monthly_cap_usd", /dollar amount/],
      [{ ...good, monthly_cap_usd: "1.005" }, "monthly_cap_usd", /two decimals/],
      [{ ...good, monthly_cap_usd: "99999999999" }, "monthly_cap_usd", /at most 1,000,000,000/],
      [{ ...good, monthly_cap_usd: 500 }, "monthly_cap_usd", /dollar amount/],
      [{ ...good, alert_email: "not an email" }, "alert_email", /email/],
      [{ ...good, alert_email: `${"a".repeat(250)}@example.com` }, "alert_email", /254/],
      [{ ...good, hard_cap: "yes" }, "hard_cap", /true or false/],
      [{ ...good, scope: "key_123" }, "", /scope/],
      [{ monthly_cap_usd: "5" }, "alert_email", /./],
    ];
    for (const [body, field, message] of cases) {
      const r = await put(users.BILLING, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json.error.code).toBe("VALIDATION_FAILED");
      if (field) expect(r.json.error.field).toBe(field);
      expect(r.json.error.message).toMatch(message);
    }
    expect(await state()).toEqual(before);
  });

  it("two changes at once both apply in turn (the team row lock), each logged", async () => {
    const before = (await state()).audits;
    const results = await Promise.all(["10", "20", "30", "40"].map((cap) => put(users.BILLING, { ...good, monthly_cap_usd: cap })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const after = await state();
    expect(after.budgets).toHaveLength(1);
    expect(after.audits).toBe(before + 4);
    // Each row's "before" is the "after" of the one before it: no change was lost between them.
    const rows = await t.db.auditLog.findMany({
      where: { teamId: team.teamId, action: "budget.set" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 4,
    });
    const chain = rows.reverse().map((r) => r.data as { before: { monthlyCapCents: string }; after: { monthlyCapCents: string } });
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.before.monthlyCapCents).toBe(chain[i - 1]!.after.monthlyCapCents);
    expect(String(after.budgets[0]!.monthlyCapCents)).toBe(chain[3]!.after.monthlyCapCents);
  });
});
