import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The platform admin console through its real route handlers (session replaced by a test user), on a real database
// and the Stripe emulator: customer search (hostile text too), credit adjustments and the two-person rule, refunds
// whose credits come back through the webhook, and coupon edits. Every refusal changes nothing.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { GET as search } from "../../app/api/admin/customers/route";
import { POST as adjust } from "../../app/api/admin/customers/[teamId]/adjustments/route";
import { POST as confirm } from "../../app/api/admin/adjustments/[id]/confirm/route";
import { POST as decline } from "../../app/api/admin/adjustments/[id]/decline/route";
import { POST as refund } from "../../app/api/admin/customers/[teamId]/payments/[paymentId]/refund/route";
import { PATCH as editCoupon } from "../../app/api/admin/coupons/[id]/route";
import { POST as endCoupon } from "../../app/api/admin/coupons/[id]/end/route";
import { POST as enableCoupon } from "../../app/api/admin/coupons/[id]/enable/route";
import { POST as disableCoupon } from "../../app/api/admin/coupons/[id]/disable/route";
import { resetBillingConfig, parseBillingConfig } from "../../lib/billing/config";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { getCouponRedemptions } from "../../lib/billing/coupons/list-redemptions";
import { checkCoupon } from "../../lib/billing/coupons/check-coupon";
import { getCustomer } from "../../lib/billing/customers/get-customer";
import { listPendingAdjustments } from "../../lib/billing/adjustments/list-pending-adjustments";
import { countPendingAdjustments } from "../../lib/billing/adjustments/count-pending-adjustments";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { makeTeam, teamBalance } from "../billing/factories";
import { newTeamCheckout, startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

let env: StripeTestEnv;
let adminA: string;
let adminB: string;
let adminC: string;
let plainUser: string;
beforeAll(async () => {
  env = await startStripeTestEnv();
  // Adjustments of 1,000,000 credits or more wait for a second admin in these tests.
  resetBillingConfig(parseBillingConfig({ ...process.env, ADMIN_ADJUSTMENT_SECOND_APPROVAL_CREDITS: "1000000" }));
  const admin = async (n: string) => (await env.t.db.user.create({ data: { email: `admin-${n}@platform.test`, isPlatformAdmin: true } })).id;
  adminA = await admin("a");
  adminB = await admin("b");
  adminC = await admin("c");
  plainUser = (await env.t.db.user.create({ data: { email: "plain@example.test" } })).id;
}, 60_000);
afterAll(async () => {
  resetBillingConfig();
  await env?.close();
});

type Json = Record<string, any> & { error?: { code: string; message: string; field?: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
async function call<P>(handler: Handler<P>, params: P, as: string | null, body?: unknown, query = "", method = "POST") {
  session.userId = as;
  const init: RequestInit =
    body === undefined ? { method: "GET" } : { method, headers: { "content-type": "application/json", origin: "http://app.test" }, body: JSON.stringify(body) };
  const res = await handler(new Request(`http://app.test/api/x${query}`, init), { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as Json };
}
const find = (q: string, as: string | null = adminA) => call(search, {}, as, undefined, `?q=${encodeURIComponent(q)}`);
const audit = (teamId: string, action: string) => env.t.db.auditLog.findMany({ where: { teamId, action }, orderBy: { createdAt: "asc" } });
let n = 0;
const formKey = () => `form-key-${Date.now()}-${++n}`;

describe("customer search", () => {
  it("finds a team by name, slug, member email and Stripe customer id; only for platform admins", async () => {
    const t = await makeTeam(env.t.db, { name: "Zephyr Widgets" });
    const member = await env.t.db.user.create({ data: { email: "Quinn.Billing@zephyr-widgets.test" } });
    await env.t.db.membership.create({ data: { teamId: t.teamId, userId: member.id, role: "BILLING" } });
    await env.t.db.team.update({ where: { id: t.teamId }, data: { stripeCustomerId: "cus_ZephyrTest123" } });

    const ids = async (q: string) => (await find(q)).json.customers.map((c: { id: string }) => c.id);
    expect(await ids("zephyr")).toContain(t.teamId);
    expect(await ids("  ZEPHYR wid ")).toContain(t.teamId);
    expect(await ids(t.slug)).toContain(t.teamId);
    expect(await ids("quinn.billing@zephyr")).toContain(t.teamId);
    expect(await ids("cus_ZephyrTest123")).toEqual([t.teamId]);
    expect(await ids(t.teamId)).toEqual([t.teamId]);
    const hit = (await find("quinn.billing")).json.customers.find((c: { id: string }) => c.id === t.teamId);
    expect(hit).toMatchObject({
      name: "Zephyr Widgets",
      matchedBy: ["email"],
      emails: ["Quinn.Billing@zephyr-widgets.test"],
      stripeCustomerId: "cus_ZephyrTest123",
    });
    expect(await ids("cus_Zephyr")).toEqual([]); // Stripe ids match exactly, never by prefix
    expect(await ids("")).toEqual([]);

    expect((await find("zephyr", plainUser)).status).toBe(403);
    expect((await find("zephyr", null)).status).toBe(401);
  });

  it("treats hostile text as text: LIKE wildcards match themselves, long or unstorable queries are refused", async () => {
    const pct = await makeTeam(env.t.db, { name: "100%_Pure Juice" });
    const other = await makeTeam(env.t.db, { name: "100 Pure Juice" });
    const ids = async (q: string) => (await find(q)).json.customers.map((c: { id: string }) => c.id);
    expect(await ids("%")).toEqual([]);
    expect(await ids("_")).toEqual([]);
    expect(await ids("100%_")).toEqual([pct.teamId]);
    expect(await ids("100%")).not.toContain(other.teamId);
    expect(await ids("\\")).toEqual([]);
    expect(await ids("' OR 1=1 --")).toEqual([]);
    const long = await find("x".repeat(101));
    expect(long.status).toBe(400);
    expect(long.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "q" });
    expect((await find("a\u0001b")).status).toBe(400);
    expect((await find("a\u0000b")).status).toBe(400);
    expect((await call(search, {}, adminA, undefined, "?q=%ED%A0%80")).status).toBe(400); // a lone surrogate, UTF-8 encoded
    const t = await makeTeam(env.t.db, { credits: 10n });
    for (const reason of ["bad\u0000reason", "lone \ud800 surrogate"]) {
      const r = await call(adjust, { teamId: t.teamId }, adminA, { amount: "5", reason, idempotencyKey: formKey() });
      expect(r.status, JSON.stringify(reason)).toBe(400);
    }
    expect(await teamBalance(env.t.db, t.teamId)).toBe(10n);
  });

  it("uses the lower() indexes rather than scanning", async () => {
    await env.t.db.$executeRawUnsafe("ANALYZE teams");
    await env.t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const plan = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM teams WHERE lower(name) LIKE 'zeph%' ESCAPE '\\' UNION ALL SELECT id FROM users WHERE lower(email) LIKE 'quinn%' ESCAPE '\\'`,
      );
      const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
      expect(text).toContain("teams_name_lower_idx");
      expect(text).toContain("users_email_lower_idx");
    });
  });
});

describe("adjusting credits", () => {
  it("applies a small adjustment once for a double submit, with a reason and an audit row", async () => {
    const t = await makeTeam(env.t.db, { credits: 10_000n });
    const key = formKey();
    const body = { amount: "-2,500", reason: "Duplicate goodwill grant", idempotencyKey: key };
    const [a, b] = await Promise.all([call(adjust, { teamId: t.teamId }, adminA, body), call(adjust, { teamId: t.teamId }, adminA, body)]);
    expect([a.status, b.status].sort()).toEqual([201, 201]);
    expect(a.json.id).toBe(b.json.id);
    expect([a.json.duplicate, b.json.duplicate].sort()).toEqual([false, true]);
    expect(await teamBalance(env.t.db, t.teamId)).toBe(7_500n);
    const entries = await env.t.db.ledgerEntry.findMany({ where: { teamId: t.teamId, kind: "ADJUSTMENT" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ amount: -2_500n, description: "Duplicate goodwill grant", actorUserId: adminA });
    expect(await audit(t.teamId, "credits.adjusted")).toHaveLength(1);

    const other = await call(adjust, { teamId: t.teamId }, adminA, { ...body, amount: "-3000" });
    expect(other.status).toBe(409);
    expect(other.json.error?.code).toBe("IDEMPOTENCY_MISMATCH");
    expect(await teamBalance(env.t.db, t.teamId)).toBe(7_500n);
    // The same form key for an amount that would need a second admin: refused too, no request is made.
    const big = await call(adjust, { teamId: t.teamId }, adminA, { ...body, amount: "5000000" });
    expect(big.json.error?.code).toBe("IDEMPOTENCY_MISMATCH");
    expect(await env.t.db.creditAdjustmentRequest.count({ where: { teamId: t.teamId } })).toBe(0);
  });

  it("refuses a missing reason, a zero or absurd amount, a bad key, a non-admin and a stranger to the team; nothing moves", async () => {
    const t = await makeTeam(env.t.db, { credits: 1_000n });
    const p = { teamId: t.teamId };
    const ok = { amount: "100", reason: "Service credit", idempotencyKey: formKey() };
    const cases: [unknown, string][] = [
      [{ ...ok, reason: "" }, "reason"],
      [{ ...ok, reason: "  " }, "reason"],
      [{ ...ok, amount: "0" }, "amount"],
      [{ ...ok, amount: "1.5" }, "amount"],
      [{ ...ok, amount: "1e6" }, "amount"],
      [{ ...ok, amount: "99999999999999" }, "amount"],
      [{ ...ok, idempotencyKey: "short" }, "idempotencyKey"],
    ];
    for (const [body, field] of cases) {
      const r = await call(adjust, p, adminA, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error).toMatchObject({ code: "VALIDATION_FAILED", field });
    }
    expect((await call(adjust, p, plainUser, ok)).status).toBe(403);
    expect((await call(adjust, p, t.userId, ok)).status).toBe(403); // the team's own owner is no platform admin
    expect((await call(adjust, p, null, ok)).status).toBe(401);
    expect((await call(adjust, { teamId: "team_nope" }, adminA, ok)).status).toBe(404);
    // A platform admin who belongs to the team adjusts nothing of it.
    await env.t.db.membership.create({ data: { teamId: t.teamId, userId: adminC, role: "MEMBER" } });
    expect((await call(adjust, p, adminC, ok)).json.error?.code).toBe("FORBIDDEN");
    await env.t.db.membership.deleteMany({ where: { teamId: t.teamId, userId: adminC } });
    expect(await teamBalance(env.t.db, t.teamId)).toBe(1_000n);
    expect(await env.t.db.ledgerEntry.count({ where: { teamId: t.teamId, kind: "ADJUSTMENT" } })).toBe(0);
  });

  it("waits for a second, different admin at or above the threshold; two confirms at once confirm once", async () => {
    const t = await makeTeam(env.t.db);
    const key = formKey();
    const asked = await call(adjust, { teamId: t.teamId }, adminA, { amount: "1000000", reason: "Outage compensation", idempotencyKey: key });
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ outcome: "pending", amount: 1_000_000 });
    expect(await teamBalance(env.t.db, t.teamId)).toBe(0n);
    const again = await call(adjust, { teamId: t.teamId }, adminA, { amount: "1000000", reason: "Outage compensation", idempotencyKey: key });
    expect(again.json).toMatchObject({ outcome: "pending", id: asked.json.id, duplicate: true });
    expect(await env.t.db.creditAdjustmentRequest.count({ where: { teamId: t.teamId } })).toBe(1);

    const waiting = (await listPendingAdjustments({ db: env.t.db })).find((p) => p.id === asked.json.id);
    expect(waiting).toMatchObject({ amount: 1_000_000n, requestedBy: "admin-a@platform.test", team: { id: t.teamId } });
    const before = await countPendingAdjustments({ db: env.t.db });
    const self = await call(confirm, { id: asked.json.id }, adminA, {});
    expect(self.status).toBe(403);
    expect(self.json.error?.message).toContain("different platform admin");
    expect((await call(confirm, { id: asked.json.id }, plainUser, {})).status).toBe(403);
    expect(await teamBalance(env.t.db, t.teamId)).toBe(0n);

    const [b, c] = await Promise.all([call(confirm, { id: asked.json.id }, adminB, {}), call(confirm, { id: asked.json.id }, adminC, {})]);
    expect([b.status, c.status].sort()).toEqual([200, 409]);
    expect(await teamBalance(env.t.db, t.teamId)).toBe(1_000_000n);
    expect(await env.t.db.ledgerEntry.count({ where: { teamId: t.teamId, kind: "ADJUSTMENT" } })).toBe(1);
    expect(await countPendingAdjustments({ db: env.t.db })).toBe(before - 1);
    const request = await env.t.db.creditAdjustmentRequest.findUniqueOrThrow({ where: { id: asked.json.id } });
    expect(request).toMatchObject({ status: "CONFIRMED", requestedByUserId: adminA });
    expect([adminB, adminC]).toContain(request.decidedByUserId);
    expect(await audit(t.teamId, "credits.adjustment_requested")).toHaveLength(1);
    expect(await audit(t.teamId, "credits.adjustment_confirmed")).toHaveLength(1);
    // Confirmed: declining it now is refused.
    expect((await call(decline, { id: asked.json.id }, adminB, { reason: "Too late" })).status).toBe(409);
    expect((await verifyBalance({ db: env.t.db, teamId: t.teamId })).problems).toEqual([]);
  });

  it("a removal at or above the threshold waits too, and a declined one moves nothing", async () => {
    const t = await makeTeam(env.t.db, { credits: 3_000_000n });
    const asked = await call(adjust, { teamId: t.teamId }, adminA, { amount: "-2000000", reason: "Fraudulent top-up", idempotencyKey: formKey() });
    expect(asked.status).toBe(202);
    expect((await call(decline, { id: asked.json.id }, adminB, { reason: "" })).status).toBe(400);
    expect((await call(decline, { id: asked.json.id }, adminB, { reason: "Not fraud after all" })).status).toBe(200);
    expect((await call(confirm, { id: asked.json.id }, adminC, {})).status).toBe(409);
    expect(await teamBalance(env.t.db, t.teamId)).toBe(3_000_000n);
    expect(await audit(t.teamId, "credits.adjustment_declined")).toHaveLength(1);
    const view = await getCustomer({ db: env.t.db, teamId: t.teamId });
    expect(view.adjustments[0]).toMatchObject({ status: "DECLINED", decisionReason: "Not fraud after all", requestedBy: "admin-a@platform.test" });
  });

  it("a platform admin who belongs to the team cannot decline a removal from it (nor confirm one); another admin still decides", async () => {
    const t = await makeTeam(env.t.db, { credits: 3_000_000n });
    const insider = (await env.t.db.user.create({ data: { email: `insider-${Date.now()}@platform.test`, isPlatformAdmin: true } })).id;
    await env.t.db.membership.create({ data: { teamId: t.teamId, userId: insider, role: "ADMIN" } });
    const asked = await call(adjust, { teamId: t.teamId }, adminA, { amount: "-2000000", reason: "Fraudulent top-up", idempotencyKey: formKey() });
    expect(asked.status).toBe(202);
    const blocked = await call(decline, { id: asked.json.id }, insider, { reason: "Looks fine to me" });
    expect(blocked.status).toBe(403);
    expect(blocked.json.error?.message).toContain("member of this team");
    expect((await call(confirm, { id: asked.json.id }, insider, {})).status).toBe(403);
    expect(await env.t.db.creditAdjustmentRequest.findUniqueOrThrow({ where: { id: asked.json.id } })).toMatchObject({ status: "PENDING" });
    expect(await audit(t.teamId, "credits.adjustment_declined")).toHaveLength(0);
    expect((await call(confirm, { id: asked.json.id }, adminB, {})).status).toBe(200);
    expect(await teamBalance(env.t.db, t.teamId)).toBe(1_000_000n);
  });

  it("one admin's adjustments of one team within 24 hours count together: a split one waits for a second admin, and says why", async () => {
    const t = await makeTeam(env.t.db, { credits: 5_000_000n });
    const p = { teamId: t.teamId };
    const first = await call(adjust, p, adminA, { amount: "600000", reason: "Goodwill, part one", idempotencyKey: formKey() });
    expect(first.json).toMatchObject({ outcome: "applied" });
    // Removing counts as much as adding (absolute credits): 600,000 + 400,000 reaches the 1,000,000 line.
    const second = await call(adjust, p, adminA, { amount: "-400000", reason: "Goodwill, part two", idempotencyKey: formKey() });
    expect(second.status).toBe(202);
    expect(second.json).toMatchObject({ outcome: "pending", amount: -400_000 });
    expect(await teamBalance(env.t.db, t.teamId)).toBe(5_600_000n);
    const request = await env.t.db.creditAdjustmentRequest.findUniqueOrThrow({ where: { id: second.json.id } });
    expect(request.recentCredits).toBe(600_000n);
    const why = "Needs a second admin: with this admin's adjustments in the last 24 hours it reaches 1,000,000 credits (the line is 1,000,000).";
    expect((await listPendingAdjustments({ db: env.t.db })).find((x) => x.id === second.json.id)?.why).toBe(why);
    expect((await getCustomer({ db: env.t.db, teamId: t.teamId })).adjustments.find((a) => a.id === second.json.id)?.why).toBe(why);
    expect((await audit(t.teamId, "credits.adjustment_requested"))[0]?.data).toMatchObject({ recentCredits: "600000" });
    // The pending one counts too: even a single credit more waits.
    expect((await call(adjust, p, adminA, { amount: "1", reason: "One more", idempotencyKey: formKey() })).json.outcome).toBe("pending");
    // Another admin has their own 24 hours; a request two admins confirmed no longer counts for the one who asked.
    expect((await call(adjust, p, adminB, { amount: "600000", reason: "Another admin's grant", idempotencyKey: formKey() })).json.outcome).toBe("applied");
    expect((await call(confirm, { id: second.json.id }, adminC, {})).status).toBe(200);
    // Another team is its own count.
    const other = await makeTeam(env.t.db);
    expect((await call(adjust, { teamId: other.teamId }, adminA, { amount: "600000", reason: "Elsewhere", idempotencyKey: formKey() })).json.outcome).toBe(
      "applied",
    );
    // Older than 24 hours: no longer counted (the pending 1 credit still is).
    await env.t.db.ledgerEntry.updateMany({
      where: { teamId: t.teamId, kind: "ADJUSTMENT", actorUserId: adminA },
      data: { createdAt: new Date(Date.now() - 25 * 3600_000) },
    });
    expect((await call(adjust, p, adminA, { amount: "999998", reason: "A day later", idempotencyKey: formKey() })).json.outcome).toBe("applied");
    expect((await call(adjust, p, adminA, { amount: "1", reason: "Now at the line", idempotencyKey: formKey() })).json.outcome).toBe("pending");
    expect((await verifyBalance({ db: env.t.db, teamId: t.teamId })).problems).toEqual([]);
  });

  it("two adjustments by one admin at once cannot both slip under the line", async () => {
    for (let round = 0; round < 3; round++) {
      const t = await makeTeam(env.t.db);
      const body = () => ({ amount: "600000", reason: "Split at once", idempotencyKey: formKey() });
      const outcomes = await Promise.all([call(adjust, { teamId: t.teamId }, adminA, body()), call(adjust, { teamId: t.teamId }, adminA, body())]);
      expect(outcomes.map((o) => o.json.outcome).sort()).toEqual(["applied", "pending"]);
      expect(await teamBalance(env.t.db, t.teamId)).toBe(600_000n);
    }
  });
});

/** A paid top-up in the emulator, its webhooks delivered. */
async function paidTopUp(dollars: number) {
  const { teamId, sessionId, paymentId } = await newTeamCheckout(env, dollars);
  await env.control(`checkout_sessions/${sessionId}/complete`, { outcome: "paid" });
  await env.delivered();
  return { teamId, paymentId, credits: BigInt(dollars) * 80_000n };
}

describe("refunding a payment", () => {
  it("partly, then the rest: Stripe refunds, the webhook takes the credits back, over-refunds are refused", async () => {
    const p = await paidTopUp(40);
    expect(await teamBalance(env.t.db, p.teamId)).toBe(p.credits);
    const params = { teamId: p.teamId, paymentId: p.paymentId };

    const key = formKey();
    const body = { amount: "10.00", reason: "Customer asked for part back", idempotencyKey: key };
    const [first, second] = await Promise.all([call(refund, params, adminA, body), call(refund, params, adminA, body)]);
    expect(first.status).toBe(200);
    expect(second.json.refundId).toBe(first.json.refundId); // a double submit is one refund
    expect(first.json).toMatchObject({ amountCents: 1000, currency: "usd" });
    await env.delivered();
    expect(await teamBalance(env.t.db, p.teamId)).toBe(p.credits - p.credits / 4n);
    expect(await env.t.db.payment.findUniqueOrThrow({ where: { id: p.paymentId } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedCents: 1000n });
    expect(
      await env.stripe.refunds.list({ payment_intent: (await env.t.db.payment.findUniqueOrThrow({ where: { id: p.paymentId } })).stripePaymentIntent! }),
    ).toMatchObject({
      data: [expect.objectContaining({ amount: 1000 })],
    });

    const over = await call(refund, params, adminA, { amount: "30.01", reason: "Too much", idempotencyKey: formKey() });
    expect(over.status).toBe(400);
    expect(over.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "amount" });
    expect(over.json.error?.message).toContain("$30.00");
    for (const bad of [
      { amount: "-5", reason: "x1", idempotencyKey: formKey() },
      { amount: "1.001", reason: "x1", idempotencyKey: formKey() },
      { amount: "5", reason: "", idempotencyKey: formKey() },
    ]) {
      expect((await call(refund, params, adminA, bad)).status).toBe(400);
    }
    expect((await call(refund, params, plainUser, { reason: "no", idempotencyKey: formKey() })).status).toBe(403);
    const stranger = await makeTeam(env.t.db);
    expect((await call(refund, { teamId: stranger.teamId, paymentId: p.paymentId }, adminA, { reason: "wrong team", idempotencyKey: formKey() })).status).toBe(
      404,
    );

    const rest = await call(refund, params, adminB, { amount: null, reason: "Closing the account", idempotencyKey: formKey() });
    expect(rest.status).toBe(200);
    expect(rest.json.amountCents).toBe(3000);
    await env.delivered();
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);
    expect(await env.t.db.payment.findUniqueOrThrow({ where: { id: p.paymentId } })).toMatchObject({ status: "REFUNDED", refundedCents: 4000n });
    const again = await call(refund, params, adminA, { reason: "Once more", idempotencyKey: formKey() });
    expect(again.status).toBe(409);

    // The credits moved only through the webhook's reconcile (REFUND entries keyed money:<payment>:n), never by the console.
    const kinds = (await env.t.db.ledgerEntry.findMany({ where: { teamId: p.teamId }, orderBy: { seq: "asc" } })).map((e) => [
      e.kind,
      e.idempotencyKey.split(":")[0],
    ]);
    expect(kinds).toEqual([
      ["TOPUP", expect.any(String)],
      ["REFUND", "money"],
      ["REFUND", "money"],
    ]);
    const rows = await audit(p.teamId, "payment.refunded_by_admin");
    expect(rows.map((r) => [r.actorUserId, (r.data as { amountCents: string }).amountCents])).toEqual([
      [adminA, "1000"],
      [adminB, "3000"],
    ]);
    expect((await verifyBalance({ db: env.t.db, teamId: p.teamId })).problems).toEqual([]);
  });

  it("two admins refunding the whole payment at once (two forms) refund it once; a disputed payment is refused", async () => {
    // Both read $25 left before either refund exists; Stripe's own remaining amount decides, so the second is refused.
    const p = await paidTopUp(25);
    const params = { teamId: p.teamId, paymentId: p.paymentId };
    const [a, b] = await Promise.all([
      call(refund, params, adminA, { reason: "Duplicate charge", idempotencyKey: formKey() }),
      call(refund, params, adminB, { reason: "Customer asked", idempotencyKey: formKey() }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).json.error?.message).toMatch(/already refunded|more than is left/);
    await env.delivered();
    const pi = (await env.t.db.payment.findUniqueOrThrow({ where: { id: p.paymentId } })).stripePaymentIntent!;
    expect((await env.stripe.refunds.list({ payment_intent: pi })).data.map((r) => r.amount)).toEqual([2500]);
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);
    expect(await audit(p.teamId, "payment.refunded_by_admin")).toHaveLength(1);
    expect((await verifyBalance({ db: env.t.db, teamId: p.teamId })).problems).toEqual([]);

    const d = await paidTopUp(5);
    await env.t.db.payment.update({ where: { id: d.paymentId }, data: { status: "DISPUTED" } });
    const disputed = await call(refund, { teamId: d.teamId, paymentId: d.paymentId }, adminA, { reason: "Try anyway", idempotencyKey: formKey() });
    expect(disputed.status).toBe(409);
    expect(disputed.json.error?.message).toMatch(/disputed/);
  });

  it("a platform admin who belongs to the team cannot refund its payments (money back to their own card); another admin can", async () => {
    const p = await paidTopUp(8);
    const insider = (await env.t.db.user.create({ data: { email: `refund-insider-${Date.now()}@platform.test`, isPlatformAdmin: true } })).id;
    await env.t.db.membership.create({ data: { teamId: p.teamId, userId: insider, role: "BILLING" } });
    const params = { teamId: p.teamId, paymentId: p.paymentId };
    const blocked = await call(refund, params, insider, { reason: "Refund my own spend", idempotencyKey: formKey() });
    expect(blocked.status).toBe(403);
    expect(blocked.json.error?.message).toContain("member of this team");
    const pi = (await env.t.db.payment.findUniqueOrThrow({ where: { id: p.paymentId } })).stripePaymentIntent!;
    expect((await env.stripe.refunds.list({ payment_intent: pi })).data).toEqual([]);
    expect(await audit(p.teamId, "payment.refunded_by_admin")).toHaveLength(0);
    expect((await call(refund, params, adminA, { reason: "Asked by the customer", idempotencyKey: formKey() })).status).toBe(200);
  });

  it("shows what is still refundable on the team page", async () => {
    const p = await paidTopUp(12);
    const view = await getCustomer({ db: env.t.db, teamId: p.teamId });
    expect(view.payments[0]).toMatchObject({ id: p.paymentId, refundableCents: 1200n, status: "succeeded" });
    expect(view.balance).toMatchObject({ balance: p.credits, balanceCents: 1200n });
    expect(view.entries[0]).toMatchObject({ kind: "TOPUP", amount: p.credits });
  });
});

describe("coupons", () => {
  it("a PATCH changes only the fields it names: a description alone does not lift the code's limits or end date", async () => {
    const c = await createCoupon({
      db: env.t.db,
      input: { code: `PART${Date.now()}`, grantCredits: "5000", maxRedemptions: "5", perTeamLimit: "2", expiresAt: "2999-01-31" },
      actorUserId: adminA,
    });
    const r = await call(editCoupon, { id: c.id }, adminA, { description: "Fixed a typo" }, "", "PATCH");
    expect(r.status).toBe(200);
    expect(await env.t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      description: "Fixed a typo",
      maxRedemptions: 5,
      perTeamLimit: 2,
      expiresAt: new Date("2999-01-31T23:59:59.999Z"),
    });
    // Named and empty still means the default (no limit, one per team, never ends), as the form sends it.
    expect((await call(editCoupon, { id: c.id }, adminA, { maxRedemptions: "", expiresAt: null }, "", "PATCH")).status).toBe(200);
    expect(await env.t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      description: "Fixed a typo",
      maxRedemptions: null,
      perTeamLimit: 2,
      expiresAt: null,
    });
  });

  it("edits what is safe, ends a code, re-enables a disabled one, and lists who redeemed it", async () => {
    const c = await createCoupon({ db: env.t.db, input: { code: `EDIT${Date.now()}`, grantCredits: "5000", maxRedemptions: "5" }, actorUserId: adminA });
    const edited = await call(
      editCoupon,
      { id: c.id },
      adminA,
      { description: "Spring promo", maxRedemptions: "10", perTeamLimit: "2", expiresAt: "2999-06-30" },
      "",
      "PATCH",
    );
    expect(edited.status).toBe(200);
    expect(await env.t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      description: "Spring promo",
      maxRedemptions: 10,
      perTeamLimit: 2,
      grantCredits: 5000n,
      expiresAt: new Date("2999-06-30T23:59:59.999Z"),
    });
    // The effect is not editable: an unknown field is refused by the contract.
    expect((await call(editCoupon, { id: c.id }, adminA, { grantCredits: "9" }, "", "PATCH")).status).toBe(400);
    const past = await call(editCoupon, { id: c.id }, adminA, { expiresAt: "2001-01-01" }, "", "PATCH");
    expect(past.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "expiresAt" });
    expect((await call(editCoupon, { id: c.id }, plainUser, { description: "x" }, "", "PATCH")).status).toBe(403);

    // A redemption; then the limit cannot go below what was used.
    const t = await makeTeam(env.t.db);
    const { redeemCoupon } = await import("../../lib/billing/coupons/redeem-coupon");
    await redeemCoupon({ db: env.t.db, teamId: t.teamId, code: c.code, actorUserId: t.userId });
    const below = await call(editCoupon, { id: c.id }, adminA, { maxRedemptions: "1", perTeamLimit: "1" }, "", "PATCH");
    expect(below.status).toBe(200); // 1 used, a limit of 1 is allowed
    await env.t.db.coupon.update({ where: { id: c.id }, data: { maxRedemptions: 5 } });
    const { redemptions } = await getCouponRedemptions({ db: env.t.db, couponId: c.id });
    expect(redemptions).toEqual([expect.objectContaining({ team: expect.objectContaining({ id: t.teamId }), creditsGranted: 5000n, payment: null })]);

    expect((await call(disableCoupon, { id: c.id }, adminA, {})).status).toBe(200);
    const other = await makeTeam(env.t.db);
    expect(await checkCoupon({ db: env.t.db, teamId: other.teamId, code: c.code, amountCents: null, baseCredits: null })).toMatchObject({ ok: false });
    expect((await call(enableCoupon, { id: c.id }, adminA, {})).status).toBe(200);
    expect(await checkCoupon({ db: env.t.db, teamId: other.teamId, code: c.code, amountCents: null, baseCredits: null })).toMatchObject({ ok: true });
    expect((await call(endCoupon, { id: c.id }, adminA, {})).status).toBe(200);
    const ended = await checkCoupon({
      db: env.t.db,
      teamId: other.teamId,
      code: c.code,
      amountCents: null,
      baseCredits: null,
      now: new Date(Date.now() + 1000),
    });
    expect(ended).toMatchObject({ ok: false });
    const actions = (await env.t.db.auditLog.findMany({ where: { targetId: c.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["coupon.created", "coupon.updated", "coupon.updated", "coupon.disabled", "coupon.enabled", "coupon.ended"]);
  });
});
