import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The Top Up page runs as Next renders it, with the session replaced by a signed-in test user. Its interactive
// amount form and the history table are left out of the markup: they are not what this test is about.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));
vi.mock("../../app/t/[team]/top-up/top-up-client", () => ({ TopUpClient: () => null }));
vi.mock("../../app/t/[team]/top-up/payment-history", () => ({ PaymentHistory: () => null }));

import TopUpPage from "../../app/t/[team]/top-up/page";
import { POST as createTopUp } from "../../app/api/teams/[team]/top-ups/route";
import { POST as cancel } from "../../app/api/teams/[team]/top-ups/[id]/cancel/route";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { makeTeam, teamBalance } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

let env: StripeTestEnv;
let owner: { teamId: string; userId: string; slug: string };
beforeAll(async () => {
  env = await startStripeTestEnv();
  owner = await makeTeam(env.t.db);
  await createCoupon({ db: env.t.db, input: { code: "BACKOUT10", bonusPercent: "10", maxRedemptions: "1" }, actorUserId: null });
});
afterAll(() => env?.close());

type Json = { payment: { id: string; status: string }; checkout: { sessionId: string } };
const route = async (handler: typeof createTopUp | typeof cancel, params: Record<string, string>, body: unknown) => {
  session.userId = owner.userId;
  const res = await (handler as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)(
    new Request("http://app.test/api/x", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://app.test" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return { status: res.status, json: (await res.json()) as Json };
};
const startHosted = (coupon?: string) =>
  route(createTopUp, { team: owner.slug }, { amount: "25", method: "card", ui: "hosted", ...(coupon ? { coupon } : {}) });

/** GET /t/<team>/top-up?canceled=<id>, as the hosted checkout's "Back" link sends the person. */
async function visit(canceled: string): Promise<string> {
  session.userId = owner.userId;
  const element = await TopUpPage({ params: Promise.resolve({ team: owner.slug }), searchParams: Promise.resolve({ canceled }) });
  return renderToStaticMarkup(element).replace(/<!-- -->/g, "");
}

/** Everything about a payment a GET must leave alone: our row, its coupon use, the balance, and the session at Stripe. */
async function state(paymentId: string, sessionId: string) {
  const [payment, redemption, balance, checkout] = await Promise.all([
    env.t.db.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { status: true, updatedAt: true } }),
    env.t.db.couponRedemption.findUnique({ where: { paymentId }, select: { status: true } }),
    teamBalance(env.t.db, owner.teamId),
    env.stripe.checkout.sessions.retrieve(sessionId).then((s) => s.status),
  ]);
  return { payment, redemption, balance, checkout };
}

describe("Top Up ?canceled=<id>: the page only reads, cancel is an explicit POST, and it says what happened", () => {
  it("a GET with ?canceled=<id> of a pending checkout changes no row, keeps the session open, and offers the cancel", async () => {
    const started = await startHosted("BACKOUT10");
    expect(started.status).toBe(201);
    const before = await state(started.json.payment.id, started.json.checkout.sessionId);
    expect(before).toMatchObject({ payment: { status: "PENDING" }, redemption: { status: "RESERVED" }, checkout: "open" });

    for (let i = 0; i < 3; i++) {
      const html = await visit(started.json.payment.id);
      expect(html).toContain("Cancel this checkout");
      expect(html).not.toContain("Nothing was charged");
    }
    expect(await state(started.json.payment.id, started.json.checkout.sessionId)).toEqual(before);

    // The explicit POST is what cancels: the session expires at Stripe and the coupon use is given back.
    const canceled = await route(cancel, { team: owner.slug, id: started.json.payment.id }, {});
    expect(canceled.json.payment.status).toBe("canceled");
    expect(await state(started.json.payment.id, started.json.checkout.sessionId)).toMatchObject({
      payment: { status: "CANCELED" },
      redemption: { status: "RELEASED" },
      checkout: "expired",
    });
    const after = await visit(started.json.payment.id);
    expect(after).toContain("Checkout canceled. Nothing was charged.");
    expect(after).not.toContain("Cancel this checkout");
  });

  it("a payment that went through is reported as paid, never as 'nothing was charged'", async () => {
    const started = await startHosted();
    await env.control(`checkout_sessions/${started.json.checkout.sessionId}/complete`, { outcome: "paid" });
    await env.delivered();
    expect((await env.t.db.payment.findUniqueOrThrow({ where: { id: started.json.payment.id } })).status).toBe("SUCCEEDED");
    const html = await visit(started.json.payment.id);
    expect(html).toContain("This payment went through");
    expect(html).not.toContain("Nothing was charged");
    expect(html).not.toContain("Cancel this checkout");
  });

  it("paid at Stripe before its webhook arrived: the GET neither cancels nor denies it; the POST finds it paid", async () => {
    const started = await startHosted();
    await env.control("delivery", { mode: "hold" });
    try {
      await env.control(`checkout_sessions/${started.json.checkout.sessionId}/complete`, { outcome: "paid" });
      const before = await state(started.json.payment.id, started.json.checkout.sessionId);
      const html = await visit(started.json.payment.id);
      expect(html).not.toContain("Nothing was charged");
      expect(await state(started.json.payment.id, started.json.checkout.sessionId)).toEqual(before);
      const r = await route(cancel, { team: owner.slug, id: started.json.payment.id }, {});
      expect(r.json.payment.status).toBe("succeeded");
      expect(await visit(started.json.payment.id)).toContain("This payment went through");
    } finally {
      await env.control("delivery", { mode: "normal" });
      await env.control("delivery/flush", { order: "forward" });
      await env.delivered();
    }
  });

  it("an id that is not this team's, or not an id at all, shows no note and touches nothing", async () => {
    const other = await makeTeam(env.t.db);
    const theirs = await env.t.db.payment.create({
      data: { teamId: other.teamId, method: "card", amountCents: 2500n, credits: 2_000_000n, idempotencyKey: "theirs-1" },
    });
    for (const id of [theirs.id, "pay_nosuch", "\u0000", "%00", "%ED%A0%80", "x".repeat(5000)]) {
      const html = await visit(id);
      expect(html, id).not.toContain("Nothing was charged");
      expect(html, id).not.toContain("Cancel this checkout");
    }
    expect((await env.t.db.payment.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("PENDING");
  });
});
