import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../../lib/stripe/client";
import { createTopUpCheckout } from "../../lib/billing/topups/create-top-up-checkout";
import { listEventFailures, MAX_EVENT_ATTEMPTS } from "../../lib/stripe/event-failures";
import { dismissEventFailure, replayEventFailure } from "../../lib/stripe/replay-event-failure";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { makeTeam, teamBalance } from "../billing/factories";
import { eventFor, signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "./helpers";

// A signed event that cannot be applied is kept (outside the transaction that rolled back), is not retried forever,
// and can be replayed by a platform admin once the cause is fixed.

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
  await env.control("webhook", {}); // these tests deliver by hand
});
afterAll(() => env?.close());

async function post(payload: string) {
  const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, payload));
  return {
    status: res.status,
    body: (await res.json()) as { received?: boolean; processed?: boolean; failure?: { id: string; code: string }; outcome?: string; error?: unknown },
  };
}
const failure = (id: string) => env.t.db.stripeEventFailure.findUnique({ where: { id } });

describe("signed events that cannot be processed", () => {
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const cases: [string, string][] = [
    ["no data", JSON.stringify({ id: "evt_nodata_1", object: "event", type: "charge.refunded" })],
    ["data without an object", JSON.stringify({ id: "evt_noobject_1", object: "event", type: "charge.refunded", data: {} })],
    ["a NUL byte in the event id", JSON.stringify({ id: "evt_nul\u0000id", object: "event", type: "charge.refunded", data: { object: { object: "charge" } } })],
    ["a NUL byte in the type", JSON.stringify({ id: "evt_nultype_1", object: "event", type: "charge.refunded\u0000", data: { object: {} } })],
    [
      "a NUL byte in the charge id",
      JSON.stringify(eventFor("charge.refunded", { object: "charge", id: "ch_\u0000x", amount_refunded: 100, currency: "usd" }, "evt_nulcharge_1")),
    ],
    [
      "a NUL byte in a dispute id",
      JSON.stringify(
        eventFor(
          "charge.dispute.created",
          { object: "dispute", id: "du_\u0000", charge: "ch_1", amount: 1, currency: "usd", status: "needs_response" },
          "evt_nuldispute_1",
        ),
      ),
    ],
    [
      "a lone surrogate in a checkout session id",
      JSON.stringify(eventFor("checkout.session.completed", { object: "checkout.session", id: "cs_\ud800" }, "evt_surrogate_1")),
    ],
    ["absurd nesting", `{"id":"evt_deep_1","object":"event","type":"charge.refunded","data":{"object":{"object":"charge","x":${nested(5000)}}}}`],
    ["not JSON", "{not json"],
    [
      "a negative refund amount",
      JSON.stringify(eventFor("charge.refunded", { object: "charge", id: "ch_neg", amount_refunded: -5, currency: "usd" }, "evt_negative_1")),
    ],
  ];

  it.each(cases)("%s: answered 200 so Stripe stops, kept with its error, counted again on redelivery, and nothing else changes", async (_name, payload) => {
    const entriesBefore = await env.t.db.ledgerEntry.count();
    const first = await post(payload);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ received: true, processed: false, failure: { code: "MALFORMED_EVENT" } });
    const id = first.body.failure!.id;
    expect(id).toMatch(/^(evt_|bad_)[A-Za-z0-9_]+$/);
    const kept = await failure(id);
    expect(kept).toMatchObject({ permanent: true, attempts: 1, resolvedAt: null });
    expect(kept?.parkedAt).not.toBeNull();
    expect(Buffer.from(kept!.rawBody).toString("utf8")).toBe(payload);

    const again = await post(payload);
    expect(again.status).toBe(200);
    expect((await failure(id))?.attempts).toBe(2);
    expect(await env.t.db.ledgerEntry.count()).toBe(entriesBefore);
    expect(await env.t.db.stripeEvent.count({ where: { id } })).toBe(0);
  });

  it("a NUL byte in text the handler does not use is stored harmlessly and the event still applies", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await createTopUpCheckout({
      db: env.t.db,
      gateway: env.gateway,
      team: { id: teamId, slug, stripeCustomerId: null },
      actorUserId: null,
      input: { amount: "10", method: "card" },
      ui: "embedded",
      appUrl: "http://app.test",
    });
    await env.control(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
    const session = await env.stripe.checkout.sessions.retrieve(started.sessionId);
    const payload = JSON.stringify(
      eventFor("checkout.session.completed", { ...session, custom_text: { note: "a\u0000b" }, ["key\u0000"]: "x" }, "evt_nul_text_ok"),
    );
    const r = await post(payload);
    expect(r.status).toBe(200);
    expect(r.body.outcome).toMatch(/^credited /);
    expect(await teamBalance(env.t.db, teamId)).toBe(800_000n);
    expect(await failure("evt_nul_text_ok")).toBeNull();
  });

  it("a body larger than any Stripe event is refused before it is read", async () => {
    const big = JSON.stringify(eventFor("charge.refunded", { object: "charge", id: "ch_big", pad: "x".repeat(1_100_000) }));
    const r = await post(big);
    expect(r.status).toBe(413);
  });
});

describe("failures that a retry may mend", () => {
  async function completedEvent() {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await createTopUpCheckout({
      db: env.t.db,
      gateway: env.gateway,
      team: { id: teamId, slug, stripeCustomerId: null },
      actorUserId: null,
      input: { amount: "25", method: "card" },
      ui: "embedded",
      appUrl: "http://app.test",
    });
    await env.control(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
    const events = await env.control<{ data: { id: string; object_id: string; event: unknown }[] }>("events?type=checkout.session.completed");
    const event = events.data.find((e) => e.object_id === started.sessionId)!;
    return { teamId, id: event.id, payload: JSON.stringify(event.event) };
  }
  async function withStripeDown<T>(fn: () => Promise<T>): Promise<T> {
    const saved = process.env.STRIPE_API_BASE;
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
    try {
      return await fn();
    } finally {
      process.env.STRIPE_API_BASE = saved;
    }
  }

  it(`answers 500 while attempts remain, then 200 after ${MAX_EVENT_ATTEMPTS} (parked), and an admin's replay applies it once`, async () => {
    const { teamId, id, payload } = await completedEvent();
    const statuses = await withStripeDown(async () => {
      const out: number[] = [];
      for (let i = 0; i < MAX_EVENT_ATTEMPTS + 1; i++) out.push((await post(payload)).status);
      return out;
    });
    expect(statuses).toEqual([...Array(MAX_EVENT_ATTEMPTS - 1).fill(500), 200, 200]);
    const kept = await failure(id);
    expect(kept).toMatchObject({ type: "checkout.session.completed", permanent: false, attempts: MAX_EVENT_ATTEMPTS + 1, resolvedAt: null });
    expect(kept?.error).toMatch(/STRIPE_UNAVAILABLE/);
    expect(kept?.parkedAt).not.toBeNull();
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    expect((await listEventFailures({ db: env.t.db })).map((f) => f.id)).toContain(id);

    const admin = await env.t.db.user.create({ data: { email: `admin-${id}@example.test`, isPlatformAdmin: true } });
    // Still broken: the replay says so and the failure stays.
    const down = createStripeClient({ secretKey: "sk_test_emulator", apiBase: "http://127.0.0.1:9" });
    const still = await replayEventFailure({ db: env.t.db, stripe: down, id, userId: admin.id });
    expect(still.ok).toBe(false);
    expect((await failure(id))?.resolvedAt).toBeNull();

    const replayed = await replayEventFailure({ db: env.t.db, stripe: env.stripe, id, userId: admin.id });
    expect(replayed).toMatchObject({ ok: true });
    expect(await teamBalance(env.t.db, teamId)).toBe(2_000_000n);
    expect(await failure(id)).toMatchObject({ resolution: "replayed", resolvedByUserId: admin.id });
    expect((await listEventFailures({ db: env.t.db })).map((f) => f.id)).not.toContain(id);
    expect(await env.t.db.auditLog.count({ where: { action: "stripe_event.replayed", targetId: id } })).toBe(1);

    // Replaying again, or Stripe delivering it again, changes nothing.
    expect(await replayEventFailure({ db: env.t.db, stripe: env.stripe, id, userId: admin.id })).toMatchObject({ ok: true });
    expect((await post(payload)).body).toMatchObject({ duplicate: true });
    expect(await teamBalance(env.t.db, teamId)).toBe(2_000_000n);
  });

  it("a failure mended by Stripe's own next delivery is resolved without an admin", async () => {
    const { teamId, id, payload } = await completedEvent();
    expect((await withStripeDown(() => post(payload))).status).toBe(500);
    expect(await failure(id)).toMatchObject({ attempts: 1, resolvedAt: null, parkedAt: null });
    expect((await post(payload)).status).toBe(200);
    expect(await failure(id)).toMatchObject({ resolution: "applied on a later delivery" });
    expect(await teamBalance(env.t.db, teamId)).toBe(2_000_000n);
  });

  it("an admin can dismiss a malformed event that no fix will make readable", async () => {
    const r = await post(JSON.stringify({ id: "evt_dismiss_me", object: "event", type: "charge.refunded" }));
    const admin = await env.t.db.user.create({ data: { email: "dismisser@example.test", isPlatformAdmin: true } });
    await dismissEventFailure({ db: env.t.db, id: r.body.failure!.id, userId: admin.id });
    expect(await failure("evt_dismiss_me")).toMatchObject({ resolution: "dismissed" });
    await expect(dismissEventFailure({ db: env.t.db, id: "evt_dismiss_me", userId: admin.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("metadata that came back from Stripe", () => {
  it("a NUL byte in a checkout's payment_id is refused as not ours, never a 500 or a credit", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await createTopUpCheckout({
      db: env.t.db,
      gateway: env.gateway,
      team: { id: teamId, slug, stripeCustomerId: null },
      actorUserId: null,
      input: { amount: "10", method: "card" },
      ui: "embedded",
      appUrl: "http://app.test",
    });
    await env.control(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
    // As if we crashed before saving the session id, and the metadata was tampered with at Stripe.
    await env.t.db.payment.update({ where: { id: started.payment.id }, data: { stripeCheckoutSession: null } });
    await env.stripe.checkout.sessions.update(started.sessionId, { metadata: { payment_id: `${started.payment.id}\u0000`, team_id: teamId } });
    const session = await env.stripe.checkout.sessions.retrieve(started.sessionId);
    const r = await post(JSON.stringify(eventFor("checkout.session.completed", { ...session, metadata: { payment_id: started.payment.id, team_id: teamId } })));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.outcome).toMatch(/^not_found/);
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
  });
});
