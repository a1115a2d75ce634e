import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Route handlers run as Next runs them, with the session replaced by a signed-in test user.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { POST as createTopUp } from "../../app/api/teams/[team]/top-ups/route";
import { POST as quote } from "../../app/api/teams/[team]/top-ups/quote/route";
import { POST as cancel } from "../../app/api/teams/[team]/top-ups/[id]/cancel/route";
import { POST as redeem } from "../../app/api/teams/[team]/coupons/redeem/route";
import { GET as getPayment } from "../../app/api/teams/[team]/payments/[id]/route";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { makeTeam, teamBalance } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "./helpers";

let env: StripeTestEnv;
let owner: { teamId: string; userId: string; slug: string };
let member: { id: string };
let other: { teamId: string; userId: string; slug: string };
beforeAll(async () => {
  env = await startStripeTestEnv();
  owner = await makeTeam(env.t.db);
  other = await makeTeam(env.t.db);
  member = await env.t.db.user.create({ data: { email: "member@example.test" } });
  await env.t.db.membership.create({ data: { teamId: owner.teamId, userId: member.id, role: "MEMBER" } });
});
afterAll(() => env?.close());

/** The shapes these routes answer with (each response has some of them). */
type ApiBody = {
  error: { code: string; message: string; field?: string };
  payment: { id: string; status: string; [k: string]: unknown };
  checkout: { sessionId: string; url: string | null; clientSecret: string | null };
  quote: Record<string, unknown>;
  balance: string;
};
type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
async function call<P extends { team: string }>(
  handler: Handler<P>,
  params: P,
  body?: unknown,
  opts: { as?: string | null; query?: string; raw?: string } = {},
) {
  session.userId = opts.as === undefined ? owner.userId : opts.as;
  const init: RequestInit =
    body === undefined && opts.raw === undefined
      ? { method: "GET" }
      : { method: "POST", headers: { "content-type": "application/json", origin: "http://app.test" }, body: opts.raw ?? JSON.stringify(body) };
  const res = await handler(new Request(`http://app.test/api/x${opts.query ?? ""}`, init), { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as ApiBody };
}

/** Everything a refused request could have changed. */
async function snapshot() {
  const [payments, entries, redemptions, sessions] = await Promise.all([
    env.t.db.payment.count(),
    env.t.db.ledgerEntry.count(),
    env.t.db.couponRedemption.count(),
    env.control<{ counts: Record<string, number> }>("state").then((s) => s.counts["checkout.session"] ?? 0),
  ]);
  return { payments, entries, redemptions, sessions, balance: await teamBalance(env.t.db, owner.teamId) };
}

describe("POST /api/teams/:team/top-ups: bad input charges nothing and credits nothing", () => {
  it("refuses bad amounts, methods, extra fields, other teams and roles with a clear error", async () => {
    const before = await snapshot();
    const cases: [unknown, number, string, string | RegExp][] = [
      [{ amount: "4.99", method: "card" }, 400, "VALIDATION_FAILED", "The minimum top-up is $5.00."],
      [{ amount: "10000.01", method: "card" }, 400, "VALIDATION_FAILED", "The maximum top-up is $10,000.00."],
      [{ amount: "25.505", method: "card" }, 400, "VALIDATION_FAILED", /at most two decimals/],
      [{ amount: "1e3", method: "card" }, 400, "VALIDATION_FAILED", /at most two decimals/],
      [{ amount: "-5", method: "card" }, 400, "VALIDATION_FAILED", /at most two decimals/],
      [{ amount: "abc", method: "card" }, 400, "VALIDATION_FAILED", /at most two decimals/],
      [{ amount: "", method: "card" }, 400, "VALIDATION_FAILED", /Enter an amount/],
      [{ amount: 25.505, method: "card" }, 400, "VALIDATION_FAILED", /at most two decimals/],
      [{ amount: null, method: "card" }, 400, "VALIDATION_FAILED", /amount/],
      [{ amount: "25", method: "naver_pay" }, 400, "VALIDATION_FAILED", /Naver Pay charges only in Korean won/],
      [{ amount: "25", method: "kakao_pay" }, 400, "VALIDATION_FAILED", /not enabled/],
      [{ amount: "25", method: "bitcoin" }, 400, "VALIDATION_FAILED", /not enabled/],
      [{ amount: "25", method: "card", credits: "99999999" }, 400, "VALIDATION_FAILED", /credits: is not a known field/],
      [{ amount: "25", method: "card", teamId: other.teamId }, 400, "VALIDATION_FAILED", /teamId: is not a known field/],
      [{ amount: "25", method: "card", ui: "popup" }, 400, "VALIDATION_FAILED", /ui/],
      [{ amount: "25", method: "card", coupon: "NOSUCHCODE" }, 400, "COUPON_INVALID", /does not exist/],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await call(createTopUp, { team: owner.slug }, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error.code, JSON.stringify(body)).toBe(code);
      expect(r.json.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await call(createTopUp, { team: owner.slug }, undefined, { raw: "{not json" })).status).toBe(400);
    expect((await call(createTopUp, { team: other.slug }, { amount: "25", method: "card" })).status).toBe(404);
    expect((await call(createTopUp, { team: owner.slug }, { amount: "25", method: "card" }, { as: member.id })).json.error.code).toBe("FORBIDDEN");
    expect((await call(createTopUp, { team: owner.slug }, { amount: "25", method: "card" }, { as: null })).status).toBe(401);
    expect(await snapshot()).toEqual({ ...before, payments: before.payments });
  });

  it("a good request makes one pending payment and one session; a retried click returns the same one", async () => {
    const body = { amount: "25.50", method: "card", ui: "hosted", idempotencyKey: "click-0001-abcdef" };
    const first = await call(createTopUp, { team: owner.slug }, body);
    expect(first.status).toBe(201);
    expect(first.json.payment).toMatchObject({ amountCents: 2550, credits: 2040000, status: "pending", method: "card" });
    expect(first.json.checkout.url).toMatch(/\/c\/pay\/cs_test_/);
    const again = await call(createTopUp, { team: owner.slug }, body);
    expect(again.json.checkout.sessionId).toBe(first.json.checkout.sessionId);
    expect(await env.t.db.payment.count({ where: { teamId: owner.teamId, idempotencyKey: body.idempotencyKey } })).toBe(1);
    const changed = await call(createTopUp, { team: owner.slug }, { ...body, amount: "99" });
    expect(changed.json.error.code).toBe("IDEMPOTENCY_MISMATCH");

    // Backing out expires the session at Stripe and closes the payment.
    const canceled = await call(cancel, { team: owner.slug, id: first.json.payment.id }, {});
    expect(canceled.json.payment.status).toBe("canceled");
    expect((await env.stripe.checkout.sessions.retrieve(first.json.checkout.sessionId)).status).toBe("expired");
    expect((await call(cancel, { team: other.slug, id: first.json.payment.id }, {})).status).toBe(404);
  });

  it("metadata tampered at Stripe to point at another team credits no one", async () => {
    const r = await call(createTopUp, { team: owner.slug }, { amount: "25", method: "card" });
    const sessionId = r.json.checkout.sessionId as string;
    await env.control("delivery", { mode: "hold" });
    await env.stripe.checkout.sessions.update(sessionId, { metadata: { team_id: other.teamId, credits: "999999999" } });
    await env.control(`checkout_sessions/${sessionId}/complete`, { outcome: "paid" });
    const before = [await teamBalance(env.t.db, owner.teamId), await teamBalance(env.t.db, other.teamId)];
    const polled = await call(getPayment, { team: owner.slug, id: r.json.payment.id }, undefined, { query: "?refresh=1" });
    expect(polled.json.payment.status).toBe("failed");
    await env.control("delivery", { mode: "normal" });
    await env.control("delivery/flush", { order: "forward" });
    await env.delivered();
    expect([await teamBalance(env.t.db, owner.teamId), await teamBalance(env.t.db, other.teamId)]).toEqual(before);
  });
});

describe("quote, redeem and payment status", () => {
  it("quote shows a code's effect or why not; members cannot apply codes", async () => {
    await createCoupon({ db: env.t.db, input: { code: "ROUTE10", bonusPercent: "10", minAmount: "20" }, actorUserId: null });
    const ok = await call(quote, { team: owner.slug }, { amount: "25", coupon: "route10" });
    expect(ok.status).toBe(200);
    expect(ok.json.quote).toMatchObject({
      credits: 2000000,
      bonusCredits: 200000,
      totalCredits: 2200000,
      coupon: { code: "ROUTE10", bonusPercent: 10, minAmountCents: 2000 },
    });
    const low = await call(quote, { team: owner.slug }, { amount: "10", coupon: "ROUTE10" });
    expect(low).toMatchObject({
      status: 400,
      json: { error: { code: "COUPON_INVALID", message: "That code needs a top-up of at least $20.00.", field: "coupon" } },
    });
    expect((await call(quote, { team: owner.slug }, { amount: "10", coupon: "ROUTE10" }, { as: member.id })).status).toBe(403);
  });

  it("redeems a grant-only code and reports the new balance", async () => {
    await createCoupon({ db: env.t.db, input: { code: "ROUTEFREE", grantCredits: "50000" }, actorUserId: null });
    const before = await teamBalance(env.t.db, other.teamId);
    const r = await call(redeem, { team: other.slug }, { code: "routefree" }, { as: other.userId });
    expect(r.status).toBe(201);
    expect(BigInt(r.json.balance)).toBe(before + 50_000n);
    const twice = await call(redeem, { team: other.slug }, { code: "ROUTEFREE" }, { as: other.userId });
    expect(twice.json.error).toMatchObject({ code: "COUPON_INVALID", message: "Your team has already used this code." });
  });

  it("a payment is visible to its team only; polling with refresh fulfils a paid checkout", async () => {
    const r = await call(createTopUp, { team: owner.slug }, { amount: "10", method: "card" });
    await env.control("delivery", { mode: "hold" });
    await env.control(`checkout_sessions/${r.json.checkout.sessionId}/complete`, { outcome: "paid" });
    const before = await teamBalance(env.t.db, owner.teamId);
    const plain = await call(getPayment, { team: owner.slug, id: r.json.payment.id });
    expect(plain.json.payment.status).toBe("pending");
    const refreshed = await call(getPayment, { team: owner.slug, id: r.json.payment.id }, undefined, { query: "?refresh=1" });
    expect(refreshed.json.payment.status).toBe("succeeded");
    expect(BigInt(refreshed.json.balance)).toBe(before + 800_000n);
    expect((await call(getPayment, { team: other.slug, id: r.json.payment.id }, undefined, { as: other.userId })).status).toBe(404);
    expect((await call(getPayment, { team: owner.slug, id: r.json.payment.id }, undefined, { as: member.id })).status).toBe(403);
    await env.control("delivery", { mode: "normal" });
    await env.control("delivery/flush", { order: "forward" });
    await env.delivered();
    expect(await teamBalance(env.t.db, owner.teamId)).toBe(before + 800_000n);
  });
});
