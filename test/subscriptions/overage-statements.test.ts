import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Overage: a paid plan may draw below zero on a metered allowance once its plan and purchased credits are spent; the
// draw is closed into a statement at the cycle's end, billed on a Stripe invoice charged to the card, and paying it
// brings the balance back by exactly the drawn credits. Real PostgreSQL, the real SDK against the emulator, webhooks.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { getDrawSummary } from "../../lib/billing/statements/get-draw-summary";
import { sweepStatements } from "../../lib/billing/statements/sweep-statements";
import { getUsageSummary } from "../../lib/billing/usage/get-usage-summary";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { key, stripeSubscriptionOf, teamWithCard, subscribeViaRoute } from "./helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

const PRO = 20_000_000n;
const ALLOWANCE = 50_000_000n; // OVERAGE_ALLOWANCE_CENTS $100 at $2.00 per 1M

async function subscribe(team: { slug: string; userId: string }, plan: string) {
  await subscribeViaRoute(session, team, plan, "monthly");
  await env.delivered();
}

// The emulator's clock runs ahead of the app's once a renewal is advanced: usage and sweeps happen at the emulator's
// time, as they would after a real renewal (its boundary is in the past).
// Never behind the app's own clock: the emulator counts whole seconds, and an entry dated before the ones already
// written would not be the latest before a boundary.
const emuNow = async () => new Date(Math.max((await env.control<{ now: number }>("clock")).now * 1000, Date.now()));
const use = async (teamId: string, amount: bigint) =>
  applyDebits({ db: env.t.db, teamId, now: await emuNow(), debits: [{ idempotencyKey: key(), amount, operation: "matmul" }] });
const team = (teamId: string) => env.t.db.team.findUniqueOrThrow({ where: { id: teamId } });
const sweep = async (at?: Date) => {
  const now = at ?? (await emuNow());
  const errors: unknown[] = [];
  const r = await sweepStatements({ db: env.t.db, gateway: env.gateway, now, onError: (e) => errors.push(e) });
  expect(errors).toEqual([]);
  await env.delivered();
  return r;
};
const renew = async (customerId: string) => {
  const sub = await stripeSubscriptionOf(env, customerId);
  await env.control(`subscriptions/${sub.id}/advance`, {});
  await env.delivered();
};

describe("overage on a paid plan", () => {
  it("draws past the plan credits down to the allowance, never further, and reports it as overage", async () => {
    const t = await teamWithCard(env);
    await subscribe(t, "pro");
    expect((await team(t.teamId)).overageLimitCredits).toBe(ALLOWANCE);
    const [within] = await use(t.teamId, PRO + 3_000_000n);
    expect(within).toMatchObject({ status: "debited", balanceAfter: -3_000_000n });
    const summary = await getUsageSummary({ db: env.t.db, teamId: t.teamId });
    expect(summary).toMatchObject({ overageCredits: 3_000_000n, overageCostCents: 600n, estimatedCostCents: 600n });
    const [past] = await use(t.teamId, ALLOWANCE - 3_000_000n + 1n);
    expect(past).toMatchObject({ status: "rejected", code: "INSUFFICIENT_CREDITS" });
    const [exact] = await use(t.teamId, ALLOWANCE - 3_000_000n);
    expect(exact).toMatchObject({ status: "debited", balanceAfter: -ALLOWANCE });
  });

  it("the renewal closes the draw before granting the new credits; the statement is charged once and repaid exactly", async () => {
    const t = await teamWithCard(env);
    await subscribe(t, "pro");
    await use(t.teamId, PRO + 3_000_000n);
    await renew(t.customerId);

    // The new cycle's credits did not swallow the draw: it is on a statement, and the balance shows both.
    const [st] = await env.t.db.statement.findMany({ where: { teamId: t.teamId } });
    expect(st).toMatchObject({ kind: "OVERAGE", drawnCredits: 3_000_000n, amountCents: 600n, status: "BILLING" });
    expect((await team(t.teamId)).balance).toBe(PRO - 3_000_000n);

    await sweep();
    const paid = await env.t.db.statement.findUniqueOrThrow({ where: { id: st!.id } });
    expect(paid).toMatchObject({ status: "PAID", collection: "charge_automatically" });
    expect((await team(t.teamId)).balance).toBe(PRO);
    const repaid = await env.t.db.ledgerEntry.findMany({ where: { teamId: t.teamId, kind: "CREDIT_LINE_STATEMENT" } });
    expect(repaid.map((e) => [e.amount, e.idempotencyKey])).toEqual([[3_000_000n, `statement:${st!.id}`]]);

    const invoice = await env.stripe.invoices.retrieve(paid.stripeInvoiceId!);
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 600, customer: t.customerId, metadata: { creditdesk_statement: st!.id } });
    expect(invoice.lines.data.map((l) => l.amount)).toEqual([600]);
    // It is on Invoices beside the subscription's own.
    expect(await env.t.db.invoice.findFirst({ where: { teamId: t.teamId, stripeInvoiceId: invoice.id } })).toMatchObject({ status: "PAID", amountCents: 600n });

    // Sweeping and delivering again change nothing: one statement, and the customer's invoices are the first, the
    // renewal and the statement, all paid once.
    await sweep();
    await sweep(new Date((await emuNow()).getTime() + 3_600_000));
    expect(await env.t.db.statement.count({ where: { teamId: t.teamId } })).toBe(1);
    const invoices = (await env.stripe.invoices.list({ customer: t.customerId, limit: 10 })).data;
    expect(invoices.map((i) => [i.amount_paid, i.status]).sort()).toEqual([
      [4900, "paid"],
      [4900, "paid"],
      [600, "paid"],
    ]);
    expect((await team(t.teamId)).balance).toBe(PRO);
    expect((await verifyBalance({ db: env.t.db, teamId: t.teamId })).ok).toBe(true);
  });

  it("PAYG bills every credit drawn; a top-up before the close repays the draw and is not billed again", async () => {
    const t = await teamWithCard(env);
    await subscribe(t, "payg");
    await use(t.teamId, 10_000_000n); // $20.00 of overage
    await env.t.db.$transaction((tx) =>
      import("../../lib/billing/ledger/credit-credits").then(({ creditCredits }) =>
        creditCredits({ db: tx, teamId: t.teamId, amount: 4_000_000n, kind: "TOPUP", idempotencyKey: key() }),
      ),
    );
    await renew(t.customerId);
    await sweep();
    const sts = await env.t.db.statement.findMany({ where: { teamId: t.teamId } });
    expect(sts.map((s) => [s.drawnCredits, s.amountCents, s.status])).toEqual([[6_000_000n, 1200n, "PAID"]]);
    expect((await team(t.teamId)).balance).toBe(0n);
    expect((await verifyBalance({ db: env.t.db, teamId: t.teamId })).ok).toBe(true);
  });

  it("a declined statement stays open and is not billed twice; past its due date drawing is suspended until it is paid", async () => {
    const t = await teamWithCard(env);
    await subscribe(t, "payg");
    const sub = await stripeSubscriptionOf(env, t.customerId);
    const failing = await env.stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: t.customerId });
    await env.stripe.subscriptions.update(sub.id, { default_payment_method: failing.id });
    await env.delivered();
    await use(t.teamId, 5_000_000n);
    await renew(t.customerId);
    await sweep();
    const [st] = await env.t.db.statement.findMany({ where: { teamId: t.teamId } });
    expect(st).toMatchObject({ status: "OPEN", drawnCredits: 5_000_000n, amountCents: 1000n });
    expect(st!.hostedInvoiceUrl).toMatch(/^http/);
    expect((await getDrawSummary({ db: env.t.db, teamId: t.teamId })).open.map((s) => s.id)).toEqual([st!.id]);

    // More usage in the new cycle; the open statement is not billed again at the next close.
    await use(t.teamId, 1_000_000n);
    await renew(t.customerId);
    await sweep();
    const two = await env.t.db.statement.findMany({ where: { teamId: t.teamId }, orderBy: { closesAt: "asc" } });
    expect(two.map((s) => s.drawnCredits)).toEqual([5_000_000n, 1_000_000n]);

    // Past the due date: suspended, so only credits above zero could be spent (there are none).
    const late = new Date(two[0]!.dueAt!.getTime() + 60_000);
    await sweep(late);
    expect((await team(t.teamId)).drawSuspendedReason).toBe("STATEMENT_OVERDUE");
    const [refused] = await use(t.teamId, 1n);
    expect(refused).toMatchObject({ status: "rejected", code: "DRAW_SUSPENDED" });

    // Paying both with a good card repays them (webhook) and lifts the suspension.
    const visa = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: t.customerId });
    for (const s of two) await env.stripe.invoices.pay(s.stripeInvoiceId!, { payment_method: visa.id });
    await env.delivered();
    const after = await team(t.teamId);
    expect(after).toMatchObject({ balance: 0n, drawSuspendedAt: null, drawSuspendedReason: null });
    expect(await env.t.db.statement.count({ where: { teamId: t.teamId, status: "PAID" } })).toBe(2);
    expect((await use(t.teamId, 1n))[0]).toMatchObject({ status: "debited" });
    expect((await verifyBalance({ db: env.t.db, teamId: t.teamId })).ok).toBe(true);
  });

  it("a refund's debt is not a draw: a Free team below zero is never billed, and a past-due plan loses its allowance", async () => {
    const free = await teamWithCard(env);
    await env.t.db.$transaction((tx) =>
      import("../../lib/billing/ledger/adjust-credits").then(({ adjustCredits }) =>
        adjustCredits({ db: tx, teamId: free.teamId, amount: -1_000_000n, idempotencyKey: key(), reason: "test debt", actorUserId: free.userId }),
      ),
    );
    await sweep(new Date((await emuNow()).getTime() + 40 * 86_400_000));
    expect(await env.t.db.statement.count({ where: { teamId: free.teamId } })).toBe(0);

    const t = await teamWithCard(env);
    await subscribe(t, "starter");
    await env.t.db.subscription.update({ where: { teamId: t.teamId }, data: { status: "PAST_DUE" } });
    const { syncOverageAllowance } = await import("../../lib/billing/statements/overage-allowance");
    expect(await syncOverageAllowance({ db: env.t.db, teamId: t.teamId })).toBe(0n);
  });
});

describe("a credit line's statement", () => {
  it("is sent with a due date and a payment page when no card is on file, and paying it there brings the balance back exactly", async () => {
    const { makeTeam } = await import("../billing/factories");
    const t = await makeTeam(env.t.db, { creditLimitCents: 20_000n }); // $200 = 16M credits at 80,000 per dollar
    const customer = await env.stripe.customers.create({ email: "ap@example.test", metadata: { team_id: t.teamId } });
    await env.t.db.team.update({ where: { id: t.teamId }, data: { stripeCustomerId: customer.id } });
    expect((await team(t.teamId)).overageLimitCredits).toBe(0n);
    await use(t.teamId, 8_000_000n); // $100.00 drawn
    const [past] = await use(t.teamId, 8_000_001n);
    expect(past).toMatchObject({ status: "rejected", code: "INSUFFICIENT_CREDITS" });

    const nextMonth = await emuNow();
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1, 2);
    await sweep(nextMonth);
    const [st] = await env.t.db.statement.findMany({ where: { teamId: t.teamId } });
    expect(st).toMatchObject({ kind: "CREDIT_LINE", drawnCredits: 8_000_000n, amountCents: 10_000n, status: "OPEN", collection: "send_invoice" });
    const invoice = await env.stripe.invoices.retrieve(st!.stripeInvoiceId!);
    expect(invoice).toMatchObject({ collection_method: "send_invoice", status: "open", amount_due: 10_000 });
    expect(invoice.due_date).toBeGreaterThan(Math.floor(nextMonth.getTime() / 1000));
    expect(st!.hostedInvoiceUrl).toBe(invoice.hosted_invoice_url);

    const card = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    await env.stripe.invoices.pay(invoice.id, { payment_method: card.id });
    await env.delivered();
    expect(await team(t.teamId)).toMatchObject({ balance: 0n });
    expect(await env.t.db.statement.findUniqueOrThrow({ where: { id: st!.id } })).toMatchObject({ status: "PAID" });
    expect((await verifyBalance({ db: env.t.db, teamId: t.teamId })).ok).toBe(true);
  });

  it("a voided statement invoice bills nothing: the draw, still on the balance, is on the next month's statement", async () => {
    const { makeTeam } = await import("../billing/factories");
    const t = await makeTeam(env.t.db, { creditLimitCents: 20_000n });
    const customer = await env.stripe.customers.create({ email: "ap@example.test", metadata: { team_id: t.teamId } });
    await env.t.db.team.update({ where: { id: t.teamId }, data: { stripeCustomerId: customer.id } });
    await use(t.teamId, 4_000_000n); // $50.00
    const at = await emuNow(); // usage is recorded at the emulator's time, which earlier renewals moved on
    const month = (n: number) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + n, 2));
    await sweep(month(1));
    const [first] = await env.t.db.statement.findMany({ where: { teamId: t.teamId } });
    expect(first).toMatchObject({ status: "OPEN", amountCents: 5_000n });
    await env.stripe.invoices.voidInvoice(first!.stripeInvoiceId!);
    await env.delivered();
    expect(await env.t.db.statement.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ status: "VOID" });
    // The team is told the same: nothing unpaid to pay, and the draw billed at the next close.
    const draw = await getDrawSummary({ db: env.t.db, teamId: t.teamId, cycleEnd: month(2) });
    expect(draw).toMatchObject({ open: [], unbilledCredits: 4_000_000n, unbilledCents: 5_000n });
    await sweep(month(2));
    const all = await env.t.db.statement.findMany({ where: { teamId: t.teamId }, orderBy: { closesAt: "asc" } });
    expect(all.map((s) => [s.status, s.drawnCredits])).toEqual([
      ["VOID", 4_000_000n],
      ["OPEN", 4_000_000n],
    ]);
  });
});
