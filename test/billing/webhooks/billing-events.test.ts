import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setBudget } from "../../../lib/billing/budgets/set-budget";
import { setCreditLimit } from "../../../lib/billing/credit-lines/set-credit-limit";
import { setLineSuspended } from "../../../lib/billing/credit-lines/suspend-credit-line";
import { applySubscriptionState } from "../../../lib/billing/subscriptions/apply-subscription-state";
import { generatePaymentInvoice } from "../../../lib/billing/invoices/generate-payment-invoice";
import { upsertStripeInvoice, type StripeInvoiceSnapshot } from "../../../lib/billing/invoices/upsert-stripe-invoice";
import { creditCredits } from "../../../lib/billing/ledger/credit-credits";
import { debitCredits } from "../../../lib/billing/ledger/debit-credits";
import type { MoneyFact } from "../../../lib/billing/payments/money-facts";
import { recordMoneyFacts } from "../../../lib/billing/payments/record-money-facts";
import { emitCreditsExpiring } from "../../../lib/billing/webhooks/emit-credits-expiring";
import { WEBHOOK_EVENT_TYPES } from "../../../lib/billing/webhooks/event-types";
import { sweepWebhookDeliveries } from "../../../lib/billing/webhooks/sweep-deliveries";
import { watchLowBalances } from "../../../lib/billing/webhooks/watch-low-balances";
import { webhookJobDefinitions } from "../../../lib/billing/webhooks/webhook-jobs";
import type { WebhookSettings } from "../../../lib/billing/webhooks/webhook-settings";
import { setProcessQueue, startQueue, type Queue } from "../../../lib/jobs/queue";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";
import { makePlatformAdmin, makeTeam } from "../factories";
import { startReceiver } from "./receiver";

const SECRET = "whsec-facts-0123456789abcdefghijklmnopqrstuvwxyz";
const settings: WebhookSettings = { retryDelaysMs: [100, 200], timeoutMs: 2000, disableAfterMs: 3_600_000, maxResponseBytes: 4096, allowPrivate: true };

describe("billing facts emit their webhook events (real functions, real queue, signed delivery)", () => {
  let t: TestDatabase;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let q: Queue;

  beforeAll(async () => {
    t = await createTestDatabase();
    rx = await startReceiver(SECRET);
    q = await startQueue({
      connectionString: t.url,
      jobs: webhookJobDefinitions({ db: () => t.db, queue: () => q, settings: () => settings }),
      schedule: false,
      onError: () => {},
    });
    // The core finds the queue as the app's code does: the process's queue.
    setProcessQueue(q);
  });
  afterAll(async () => {
    setProcessQueue(null);
    await q.stop();
    await rx.close();
    await t.close();
  });

  /** A team with an endpoint listening to every event type. */
  async function listeningTeam(opts: Parameters<typeof makeTeam>[1] = {}) {
    const team = await makeTeam(t.db, opts);
    await t.db.webhookEndpoint.create({
      data: { teamId: team.teamId, url: rx.url(`/ok?team=${team.teamId}`), events: [...WEBHOOK_EVENT_TYPES], secret: SECRET },
    });
    return team;
  }

  const received = (teamId: string, type?: string) => rx.accepted.filter((r) => r.path === `/ok?team=${teamId}` && (!type || r.body.type === type));
  async function waitFor(teamId: string, type: string, n = 1) {
    const end = Date.now() + 20_000;
    while (received(teamId, type).length < n) {
      if (Date.now() > end)
        throw new Error(
          `no ${type} for ${teamId}; got ${received(teamId)
            .map((r) => r.body.type)
            .join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    return received(teamId, type);
  }
  /** A paid top-up as fulfilment leaves it, with its credits (800 per cent). */
  async function paidTopUp(teamId: string, amountCents: bigint) {
    const credits = amountCents * 800n;
    const payment = await t.db.payment.create({
      data: { teamId, kind: "TOPUP", status: "SUCCEEDED", method: "card", amountCents, credits, idempotencyKey: `t-${randomUUID()}`, succeededAt: new Date() },
    });
    await creditCredits({ db: t.db, teamId, amount: credits, kind: "TOPUP", idempotencyKey: `topup:${payment.id}`, paymentId: payment.id });
    return payment;
  }
  const settle = () => new Promise((r) => setTimeout(r, 1500));

  it("a team with no endpoint pays one query and gets no event row", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 1000n });
    await setBudget({ db: t.db, teamId, monthlyCapCents: 1n, alertEmail: "ops@example.com" });
    await debitCredits({ db: t.db, teamId, amount: 500n, idempotencyKey: "quiet" });
    expect(await t.db.notification.count({ where: { teamId, kind: "budget_alert" } })).toBe(1);
    expect(await t.db.webhookEvent.count({ where: { teamId } })).toBe(0);
  });

  it("invoice_created and invoice_paid from a Stripe invoice copy, once however often it is copied; invoice_failed per failed payment", async () => {
    const { teamId } = await listeningTeam();
    const customerId = `cus_${randomUUID().slice(0, 8)}`;
    await t.db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customerId } });
    const snap: StripeInvoiceSnapshot = {
      id: `in_${randomUUID().slice(0, 8)}`,
      number: "A-0001",
      customerId,
      status: "open",
      totalCents: 2900,
      amountDueCents: 2900,
      amountPaidCents: 0,
      currency: "usd",
      periodStart: new Date("2026-11-01T00:00:00Z"),
      periodEnd: new Date("2026-12-01T00:00:00Z"),
      paidAt: null,
      hostedUrl: "https://invoice.example/1",
      pdfUrl: null,
      lines: [{ description: "Pro", quantity: 1, amountCents: 2900 }],
    };
    await t.db.$transaction((tx) => upsertStripeInvoice({ db: tx, snapshot: snap, failedEventId: "evt_stripe_fail_1" }));
    const paid = { ...snap, status: "paid", amountDueCents: 0, amountPaidCents: 2900, paidAt: new Date("2026-11-02T00:00:00Z") };
    await t.db.$transaction((tx) => upsertStripeInvoice({ db: tx, snapshot: paid }));
    await t.db.$transaction((tx) => upsertStripeInvoice({ db: tx, snapshot: paid }));
    // An open invoice paid later becomes PAID (it used to stay OPEN: every move to a final status was refused).
    expect((await t.db.invoice.findUniqueOrThrow({ where: { stripeInvoiceId: snap.id } })).status).toBe("PAID");
    const [p] = await waitFor(teamId, "invoice_paid");
    await waitFor(teamId, "invoice_created");
    const [f] = await waitFor(teamId, "invoice_failed");
    await settle();
    expect(
      received(teamId)
        .map((r) => r.body.type)
        .sort(),
    ).toEqual(["invoice_created", "invoice_failed", "invoice_paid"]);
    expect(p!.body.data).toMatchObject({ number: "A-0001", status: "paid", amount_cents: 2900, amount_paid_cents: 2900, currency: "usd", source: "stripe" });
    expect(f!.body.data).toMatchObject({ status: "open", amount_due_cents: 2900 });
  });

  it("invoice_paid from a generated invoice of a paid top-up", async () => {
    const { teamId, userId } = await listeningTeam();
    const payment = await paidTopUp(teamId, 2500n);
    const { invoice } = await generatePaymentInvoice({ db: t.db, teamId, paymentId: payment.id, actorUserId: userId });
    const [p] = await waitFor(teamId, "invoice_paid");
    expect(p!.body.data).toMatchObject({ invoice_id: invoice.id, amount_cents: 2500, source: "creditdesk" });
  });

  it("budget_alert where the budget alert notification is made (in the debit's SQL), delivered by the sweep", async () => {
    const { teamId } = await listeningTeam({ credits: 10_000n });
    // 1 cent = 800 credits; 400 is the 50% line.
    await setBudget({ db: t.db, teamId, monthlyCapCents: 1n, hardCap: true, alertEmail: "ops@example.com" });
    await debitCredits({ db: t.db, teamId, amount: 399n, idempotencyKey: "b1" });
    expect(await t.db.webhookEvent.count({ where: { teamId, type: "budget_alert" } })).toBe(0);
    await debitCredits({ db: t.db, teamId, amount: 51n, idempotencyKey: "b2" });
    expect(await t.db.webhookEvent.count({ where: { teamId, type: "budget_alert" } })).toBe(1);
    await sweepWebhookDeliveries({ db: t.db, queue: q });
    const [a] = await waitFor(teamId, "budget_alert");
    expect(a!.body.data).toMatchObject({ scope: "team", threshold_pct: 50, spend_credits: 450, cap_credits: 800, cap_cents: 1, hard_cap: true });
  });

  it("payment_refunded from Stripe's refund news, once per money position", async () => {
    const { teamId } = await listeningTeam();
    const payment = await paidTopUp(teamId, 1000n);
    const refund: MoneyFact = { kind: "refund", id: `re_${randomUUID().slice(0, 8)}`, chargeId: null, amountCents: 400n, currency: "usd", status: "succeeded" };
    const news = () => recordMoneyFacts({ db: t.db, input: { paymentId: payment.id, chargeId: null, paymentIntentId: null, facts: [refund] } });
    await news();
    await news();
    const [r] = await waitFor(teamId, "payment_refunded");
    await settle();
    expect(received(teamId, "payment_refunded")).toHaveLength(1);
    expect(r!.body.data).toMatchObject({ payment_id: payment.id, kind: "refund", amount_cents: 1000, refunded_cents: 400, credits_taken_back: 320_000 });
  });

  it("credits_expiring from the daily scan, once per grant", async () => {
    const { teamId } = await listeningTeam();
    const soon = new Date(Date.now() + 3 * 86_400_000);
    await creditCredits({ db: t.db, teamId, amount: 5000n, kind: "TOPUP", idempotencyKey: `exp-${randomUUID()}`, expiresAt: soon });
    await creditCredits({
      db: t.db,
      teamId,
      amount: 7000n,
      kind: "TOPUP",
      idempotencyKey: `late-${randomUUID()}`,
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
    });
    await emitCreditsExpiring({ db: t.db });
    await emitCreditsExpiring({ db: t.db });
    const [e] = await waitFor(teamId, "credits_expiring");
    await settle();
    expect(received(teamId, "credits_expiring")).toHaveLength(1);
    expect(e!.body.data).toMatchObject({ remaining_credits: 5000, expires_at: soon.toISOString() });
  });

  it("balance_low from the minute watch, once each time the balance falls below the line", async () => {
    const { teamId } = await listeningTeam({ credits: 100n });
    await watchLowBalances({ db: t.db });
    await debitCredits({ db: t.db, teamId, amount: 100n, idempotencyKey: "drain" });
    await watchLowBalances({ db: t.db });
    await watchLowBalances({ db: t.db });
    await waitFor(teamId, "balance_low");
    await creditCredits({ db: t.db, teamId, amount: 50n, kind: "TOPUP", idempotencyKey: "refill" });
    await watchLowBalances({ db: t.db });
    await debitCredits({ db: t.db, teamId, amount: 50n, idempotencyKey: "drain2" });
    await watchLowBalances({ db: t.db });
    const events = await waitFor(teamId, "balance_low", 2);
    await settle();
    expect(received(teamId, "balance_low")).toHaveLength(2);
    expect(events[0]!.body.data).toMatchObject({ balance_credits: 0, line_credits: 1, auto_top_up: false });
  });

  it("credit_line_updated when a platform admin sets the line", async () => {
    const { teamId, userId } = await listeningTeam();
    await setCreditLimit({ db: t.db, teamId, limitCents: 50_000n, actorUserId: userId, reason: "approved" });
    const [c] = await waitFor(teamId, "credit_line_updated");
    expect(c!.body.data).toMatchObject({ change: "limit_set", limit_cents: 50_000, suspended: false, reason: "approved" });
  });

  it("credit_line_updated when a platform admin suspends and resumes drawing", async () => {
    const { teamId, userId } = await listeningTeam();
    await setCreditLimit({ db: t.db, teamId, limitCents: 10_000n, actorUserId: userId, reason: "approved" });
    const admin = await makePlatformAdmin(t.db, "reviewer");
    await setLineSuspended({ db: t.db, teamId, adminUserId: admin, suspended: true, reason: "Statement disputed" });
    await setLineSuspended({ db: t.db, teamId, adminUserId: admin, suspended: false, reason: "Resolved" });
    const events = await waitFor(teamId, "credit_line_updated", 3);
    await settle();
    const changes = received(teamId, "credit_line_updated").map((r) => [r.body.data.change, r.body.data.suspended]);
    expect(changes.sort()).toEqual(
      [
        ["limit_set", false],
        ["resumed", false],
        ["suspended", true],
      ].sort(),
    );
    expect(events.every((e) => e.body.data.limit_cents === 10_000)).toBe(true);
  });

  it("subscription_updated when the copied subscription's plan or status changes, not when the same state is copied again", async () => {
    const { teamId } = await listeningTeam();
    const customerId = `cus_${randomUUID().slice(0, 8)}`;
    await t.db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customerId } });
    const sub = {
      id: `sub_${randomUUID().slice(0, 8)}`,
      customerId,
      teamId,
      status: "active",
      priceLookupKey: "starter_monthly",
      currentPeriodStart: new Date(Date.now() - 86_400_000),
      currentPeriodEnd: new Date(Date.now() + 29 * 86_400_000),
      cancelAtPeriodEnd: false,
      canceledAt: null,
    };
    await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: sub }));
    await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: sub }));
    await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: { ...sub, priceLookupKey: "pro_monthly" } }));
    const events = await waitFor(teamId, "subscription_updated", 2);
    await settle();
    expect(received(teamId, "subscription_updated")).toHaveLength(2);
    const upgrade = events.find((e) => e.body.data.plan_id === "pro")!;
    expect(upgrade.body.data).toMatchObject({ subscription_id: sub.id, status: "active", billing_cycle: "monthly", previous: { plan_id: "starter" } });
  });
});
