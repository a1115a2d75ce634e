import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Enterprise requests through the real route handlers (session replaced by a test user), and custom plans that only
// their own team can see or be billed for.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { GET as teamRequest, POST as submit } from "../../app/api/teams/[team]/plan-requests/route";
import { GET as adminList } from "../../app/api/admin/plan-requests/route";
import { POST as customPlan } from "../../app/api/admin/plan-requests/[id]/custom-plan/route";
import { POST as decline } from "../../app/api/admin/plan-requests/[id]/decline/route";
import { findPlanForTeam, listPlansForTeam } from "../../lib/billing/plans/plan-visibility";
import { requestEnterprisePlan, PLAN_REQUESTS_PER_DAY } from "../../lib/billing/plans/request-enterprise-plan";
import { planForPrice } from "../../lib/billing/subscriptions/plan-for-price";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "./factories";

let t: TestDatabase;
let owner: { teamId: string; userId: string; slug: string };
let other: { teamId: string; userId: string; slug: string };
let memberId: string;
let billingId: string;
let adminId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = t.db;
  owner = await makeTeam(t.db, { name: "Acme" });
  other = await makeTeam(t.db, { name: "Other" });
  memberId = (await t.db.user.create({ data: { email: "member@example.test" } })).id;
  billingId = (await t.db.user.create({ data: { email: "billing@example.test" } })).id;
  adminId = (await t.db.user.create({ data: { email: "admin@example.test", isPlatformAdmin: true } })).id;
  await t.db.membership.createMany({
    data: [
      { teamId: owner.teamId, userId: memberId, role: "MEMBER" },
      { teamId: owner.teamId, userId: billingId, role: "BILLING" },
    ],
  });
});
afterAll(async () => {
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = undefined;
  await t?.close();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string; field?: string } };
type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
async function call<P>(handler: Handler<P>, params: P, as: string | null, body?: unknown, raw?: string) {
  session.userId = as;
  const init: RequestInit =
    body === undefined && raw === undefined
      ? { method: "GET" }
      : { method: "POST", headers: { "content-type": "application/json", origin: "http://app.test" }, body: raw ?? JSON.stringify(body) };
  const res = await handler(new Request("http://app.test/api/x", init), { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as Json };
}

const good = { company: "Acme Corp", contactEmail: "cto@acme.test", expectedMonthlyCredits: "500,000,000", message: "We need an SLA." };

describe("a team asks for Enterprise", () => {
  it("refuses bad input with the field named, a plain member, and strangers; accepts the owner once", async () => {
    const p = { team: owner.slug };
    const cases: [unknown, string][] = [
      [{ ...good, company: "Acme\u0000Corp" }, "company"],
      [{ ...good, company: "   " }, "company"],
      [{ ...good, company: "x".repeat(5000) }, "company"],
      [{ ...good, contactEmail: "not an email" }, "contactEmail"],
      [{ ...good, contactEmail: "a@b.test\nBcc: x@y.test" }, "contactEmail"],
      [{ ...good, expectedMonthlyCredits: "-5" }, "expectedMonthlyCredits"],
      [{ ...good, expectedMonthlyCredits: "1e9" }, "expectedMonthlyCredits"],
      [{ ...good, expectedMonthlyCredits: 1.5 }, "expectedMonthlyCredits"],
      [{ ...good, expectedMonthlyCredits: "99999999999999999999" }, "expectedMonthlyCredits"],
      [{ ...good, message: "m".repeat(2001) }, "message"],
      [{ ...good, message: "bell\u0007" }, "message"],
      [{ ...good, admin: true }, "admin"],
    ];
    for (const [body, field] of cases) {
      const r = await call(submit, p, owner.userId, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json.error).toMatchObject({ code: "VALIDATION_FAILED", field });
    }
    // A NUL byte in raw JSON is refused at the edge, naming the field.
    const nul = await call(submit, p, owner.userId, undefined, JSON.stringify(good).replace("We need", "We\\u0000need"));
    expect(nul.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "message" });

    expect((await call(submit, p, memberId, good)).json.error?.code).toBe("FORBIDDEN");
    expect((await call(submit, p, other.userId, good)).status).toBe(404);
    expect((await call(submit, p, null, good)).status).toBe(401);
    expect(await t.db.planRequest.count()).toBe(0);

    const ok = await call(submit, p, owner.userId, good);
    expect(ok.status).toBe(201);
    expect(ok.json.request).toMatchObject({ status: "OPEN", company: "Acme Corp", expectedMonthlyCredits: 500_000_000, message: "We need an SLA." });
    const again = await call(submit, p, billingId, { ...good, company: "Acme 2" });
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe("CONFLICT");
    expect((await call(teamRequest, p, memberId)).status).toBe(403); // billing:read
    expect((await call(teamRequest, p, billingId)).json.request).toMatchObject({ status: "OPEN", company: "Acme Corp" });
    expect((await call(teamRequest, { team: other.slug }, other.userId)).json.request).toBeNull();
  });

  it("two submits at once leave one open request", async () => {
    const team = await makeTeam(t.db);
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((i) => requestEnterprisePlan({ db: t.db, teamId: team.teamId, requesterUserId: team.userId, input: { ...good, company: `Co ${i}` } })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.planRequest.count({ where: { teamId: team.teamId, status: "OPEN" } })).toBe(1);
  });

  it("a team can ask again after a decline, a few times a day", async () => {
    const team = await makeTeam(t.db);
    for (let i = 0; i < PLAN_REQUESTS_PER_DAY; i++) {
      const r = await requestEnterprisePlan({ db: t.db, teamId: team.teamId, requesterUserId: team.userId, input: good });
      expect((await call(decline, { id: r.id }, adminId, { reason: "Not yet" })).status).toBe(200);
    }
    await expect(requestEnterprisePlan({ db: t.db, teamId: team.teamId, requesterUserId: team.userId, input: good })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });
});

describe("platform admins answer", () => {
  it("admin routes refuse everyone else and change nothing", async () => {
    const open = await t.db.planRequest.findFirstOrThrow({ where: { teamId: owner.teamId, status: "OPEN" } });
    for (const who of [owner.userId, billingId, null]) {
      const list = await call(adminList, {}, who);
      expect(list.status).toBe(who ? 403 : 401);
      expect((await call(customPlan, { id: open.id }, who, { name: "X", price: "1", cycle: "monthly" })).status).toBe(who ? 403 : 401);
      expect((await call(decline, { id: open.id }, who, { reason: "no" })).status).toBe(who ? 403 : 401);
    }
    expect(await t.db.plan.count({ where: { teamId: { not: null } } })).toBe(0);
    expect((await t.db.planRequest.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("OPEN");
  });

  it("lists open requests, refuses a bad plan, makes a custom plan the other teams never see", async () => {
    const list = await call(adminList, {}, adminId);
    const mine = (list.json.requests as { id: string; team: { slug: string }; requester: { email: string } }[]).find((r) => r.team.slug === owner.slug);
    expect(mine).toMatchObject({ company: "Acme Corp", expectedMonthlyCredits: 500_000_000, message: "We need an SLA." });
    const id = mine!.id;

    const bad: [unknown, string][] = [
      [{ name: "", price: "100", cycle: "monthly" }, "name"],
      [{ name: "Acme\u0001", price: "100", cycle: "monthly" }, "name"],
      [{ name: "Acme", price: "12.345", cycle: "monthly" }, "price"],
      [{ name: "Acme", price: "-1", cycle: "monthly" }, "price"],
      [{ name: "Acme", price: "100", cycle: "weekly" }, "cycle"],
      [{ name: "Acme", price: "100", cycle: "monthly", monthlyCredits: "lots" }, "monthlyCredits"],
    ];
    for (const [body, field] of bad) expect((await call(customPlan, { id }, adminId, body)).json.error).toMatchObject({ code: "VALIDATION_FAILED", field });
    expect((await call(customPlan, { id: "preq_nope" }, adminId, { name: "X", price: "1", cycle: "monthly" })).status).toBe(404);

    const made = await call(customPlan, { id }, adminId, { name: "Acme Enterprise", price: "12000", cycle: "annual", monthlyCredits: "600000000" });
    expect(made.status).toBe(201);
    const planId = made.json.planId as string;
    expect(planId).toMatch(/^custom-[0-9a-f]{12}$/);
    expect(made.json).toMatchObject({ billingCycle: "ANNUAL", lookupKey: `custom_${planId.slice(7)}_annual` });
    const plan = await t.db.plan.findUniqueOrThrow({ where: { id: planId } });
    expect(plan).toMatchObject({
      teamId: owner.teamId,
      annualPriceCents: 1_200_000n,
      monthlyPriceCents: 100_000n,
      monthlyCredits: 600_000_000n,
      stripeMonthlyLookup: null,
      portalEnabled: false,
      active: true,
    });
    const request = await t.db.planRequest.findUniqueOrThrow({ where: { id } });
    expect(request).toMatchObject({ status: "DONE", planId, handledByUserId: adminId });
    expect(await t.db.auditLog.count({ where: { action: "plan_request.custom_plan", actorUserId: adminId, targetId: planId } })).toBe(1);
    // Answered once: a second answer of either kind is a conflict, and made no second plan.
    expect((await call(customPlan, { id }, adminId, { name: "Again", price: "1", cycle: "monthly" })).status).toBe(409);
    expect((await call(decline, { id }, adminId, { reason: "late" })).status).toBe(409);
    expect(await t.db.plan.count({ where: { teamId: owner.teamId } })).toBe(1);
    expect((await call(teamRequest, { team: owner.slug }, owner.userId)).json.request).toMatchObject({ status: "DONE", plan: { id: planId } });

    // Visible to and billable for its own team only.
    const sel = { id: true } as const;
    expect((await listPlansForTeam({ db: t.db, teamId: owner.teamId, select: sel })).map((p) => p.id)).toContain(planId);
    expect((await listPlansForTeam({ db: t.db, teamId: other.teamId, select: sel })).map((p) => p.id)).not.toContain(planId);
    expect(await findPlanForTeam({ db: t.db, teamId: owner.teamId, planId, select: sel })).toEqual({ id: planId });
    expect(await findPlanForTeam({ db: t.db, teamId: other.teamId, planId, select: sel })).toBeNull();
    expect(await findPlanForTeam({ db: t.db, teamId: other.teamId, planId: "pro", select: sel })).toEqual({ id: "pro" });
    const key = made.json.lookupKey as string;
    expect(await planForPrice({ db: t.db, lookupKey: key, teamId: owner.teamId })).toMatchObject({ id: planId, billingCycle: "ANNUAL" });
    expect(await planForPrice({ db: t.db, lookupKey: key, teamId: other.teamId })).toBeNull();
    expect(await t.db.plan.count({ where: { teamId: null, id: { startsWith: "custom-" } } })).toBe(0);
  });

  it("a declined request shows its reason to the team, which may ask again", async () => {
    const team = await makeTeam(t.db);
    const r = await requestEnterprisePlan({ db: t.db, teamId: team.teamId, requesterUserId: team.userId, input: good });
    expect((await call(decline, { id: r.id }, adminId, { reason: "" })).json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "reason" });
    expect((await call(decline, { id: r.id }, adminId, { reason: "We only serve companies above 1B credits." })).status).toBe(200);
    const seen = await call(teamRequest, { team: team.slug }, team.userId);
    expect(seen.json.request).toMatchObject({ status: "DECLINED", declineReason: "We only serve companies above 1B credits.", plan: null });
    expect(seen.json.request).not.toHaveProperty("handledByUserId");
    expect((await call(submit, { team: team.slug }, team.userId, good)).status).toBe(201);
  });
});
