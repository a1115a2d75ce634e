import fc from "fast-check";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countHealthyCycles } from "../../lib/billing/credit-lines/healthy-cycles";
import { getReviewFacts } from "../../lib/billing/credit-lines/review-facts";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { closeStatement } from "../../lib/billing/statements/close-statement";
import { getDrawSummary } from "../../lib/billing/statements/get-draw-summary";
import { issueStatement } from "../../lib/billing/statements/issue-statement";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { DrawPanel } from "../../components/billing/draw-panel";
import { makeTeam, teamBalance } from "../billing/factories";
import { signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { key } from "./helpers";

// A statement's own charge refunded or disputed: the credits its payment repaid follow the charge's money exactly as a
// top-up's do (drawn × (refunded + held) / paid), whatever order Stripe's events arrive in. Real PostgreSQL, the real
// SDK against the emulator; events are collected undelivered and delivered by hand, in the order each test picks.

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
  await env.control("webhook", {}); // nothing is delivered on its own
});
afterAll(() => env?.close());

const DRAWN = 400_000n; // $5.00 at 80,000 credits per dollar
type EmulatorEvent = { id: string; type: string; event: { id: string; data: { object: Record<string, unknown> } } };

const eventCount = async () => (await env.control<{ data: unknown[] }>("events")).data.length;
const eventsSince = async (count: number) => (await env.control<{ data: EmulatorEvent[] }>("events")).data.slice(count);
async function deliver(e: EmulatorEvent): Promise<void> {
  const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, JSON.stringify(e.event)));
  expect(res.status, `${e.type}: ${await res.clone().text()}`).toBe(200);
}
async function deliverAll(events: EmulatorEvent[]): Promise<void> {
  for (const e of events) await deliver(e);
}
const statement = (id: string) => env.t.db.statement.findUniqueOrThrow({ where: { id } });

/**
 * A credit-line team that drew DRAWN below zero, and its statement issued: charged to its saved card (repaid by the
 * issuing call), or, with `card: false`, sent with a due date and then paid on Stripe with a card (repaid by the
 * invoice.paid webhook, which is left undelivered with the rest of the events).
 */
async function issuedStatement({ card, creditCents = 0 }: { card: boolean; creditCents?: number }) {
  const team = await makeTeam(env.t.db, { creditLimitCents: 100_000n });
  const customer = await env.stripe.customers.create({ email: "ap@example.test", metadata: { team_id: team.teamId } });
  const pm = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
  if (card) await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  if (creditCents) await env.stripe.customers.update(customer.id, { balance: -creditCents });
  await env.t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customer.id } });
  await applyDebits({ db: env.t.db, teamId: team.teamId, debits: [{ idempotencyKey: key(), amount: DRAWN, operation: "matmul" }] });
  const closed = await closeStatement({ db: env.t.db, teamId: team.teamId, kind: "CREDIT_LINE", closesAt: new Date(Date.now() + 1) });
  const issued = await issueStatement({ db: env.t.db, gateway: env.gateway, statementId: closed!.statement.id });
  if (!card) await env.stripe.invoices.pay(issued.stripeInvoiceId!, { payment_method: pm.id });
  const invoicePayments = await env.stripe.invoicePayments.list({ invoice: issued.stripeInvoiceId! });
  const pi = await env.stripe.paymentIntents.retrieve(invoicePayments.data[0]!.payment.payment_intent as string);
  return { teamId: team.teamId, statementId: issued.id, chargeId: pi.latest_charge as string, paidCents: BigInt(pi.amount) };
}

/** What Stripe's final state says the team keeps of the repaid credits, computed from Stripe's own objects. */
async function expectedFromStripe(chargeId: string, paidCents: bigint) {
  const charge = await env.stripe.charges.retrieve(chargeId);
  const disputes = (await env.stripe.disputes.list({ charge: chargeId })).data;
  const refunded = BigInt(charge.amount_refunded);
  const holding = disputes.filter((d) => !["won", "warning_closed", "prevented"].includes(d.status)).reduce((a, d) => a + BigInt(d.amount), 0n);
  const held = holding < paidCents - refunded ? holding : paidCents - refunded;
  return { balance: -((DRAWN * (refunded + held)) / paidCents), refunded, held };
}

describe("a statement's own charge refunded", () => {
  it("a partial refund takes back its share of the repaid draw, a second one the rest; the statement shows what went back", async () => {
    const start = await eventCount();
    const s = await issuedStatement({ card: true });
    await deliverAll(await eventsSince(start));
    expect(await statement(s.statementId)).toMatchObject({ status: "PAID", amountCents: 500n, refundedCents: 0n });
    expect(await teamBalance(env.t.db, s.teamId)).toBe(0n);

    let mark = await eventCount();
    await env.stripe.refunds.create({ charge: s.chargeId, amount: 200 });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(-160_000n); // 400,000 × 200 / 500
    expect(await statement(s.statementId)).toMatchObject({ status: "PAID", refundedCents: 200n, heldCents: 0n });
    const entries = await env.t.db.ledgerEntry.findMany({ where: { teamId: s.teamId, referenceType: "statement", kind: "REFUND" } });
    expect(entries.map((e) => [e.amount, e.referenceId, e.paymentId])).toEqual([[-160_000n, s.statementId, null]]);
    const audit = await env.t.db.auditLog.findMany({ where: { teamId: s.teamId, targetId: s.statementId } });
    expect(audit.map((a) => [a.action, (a.data as { creditsDelta: string }).creditsDelta])).toEqual([["statement.refund", "160000"]]);

    mark = await eventCount();
    await env.stripe.refunds.create({ charge: s.chargeId });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(-DRAWN);
    expect(await statement(s.statementId)).toMatchObject({ refundedCents: 500n });
    expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
  });

  it("the draw a refund makes owed again is not billed on the next statement, nor shown as to be billed: only new usage is", async () => {
    const start = await eventCount();
    const s = await issuedStatement({ card: true });
    await env.stripe.refunds.create({ charge: s.chargeId });
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(-DRAWN);
    // What the team is told the next statement bills is what the close bills.
    const summary = () => getDrawSummary({ db: env.t.db, teamId: s.teamId, cycleEnd: new Date() });
    expect(await summary()).toMatchObject({ unbilledCredits: 0n, unbilledCents: 0n, open: [] });
    expect((await summary()).recent[0]).toMatchObject({ id: s.statementId, refundedCents: 500n });
    // The panel says why the balance is below zero with nothing to be billed: the statement's payment was refunded.
    const panel = renderToStaticMarkup(createElement(DrawPanel, { draw: await summary() }));
    expect(panel).toContain("refunded in full: that part of the draw is owed again");

    await applyDebits({ db: env.t.db, teamId: s.teamId, debits: [{ idempotencyKey: key(), amount: 80_000n, operation: "matmul" }] });
    expect(await summary()).toMatchObject({ unbilledCredits: 80_000n, unbilledCents: 100n });
    const next = await closeStatement({ db: env.t.db, teamId: s.teamId, kind: "CREDIT_LINE", closesAt: new Date(Date.now() + 1) });
    expect(next?.statement).toMatchObject({ drawnCredits: 80_000n, amountCents: 100n });
  });

  it("a statement paid partly from the customer's Stripe credit: its charge refunded in full takes back only the charge's share", async () => {
    const start = await eventCount();
    const s = await issuedStatement({ card: true, creditCents: 300 });
    await deliverAll(await eventsSince(start));
    expect(s.paidCents).toBe(200n); // $3.00 of the $5.00 came from the credit balance
    expect(await statement(s.statementId)).toMatchObject({ status: "PAID", amountCents: 500n });
    const mark = await eventCount();
    await env.stripe.refunds.create({ charge: s.chargeId });
    await deliverAll(await eventsSince(mark));
    // The $3.00 of credit the customer spent on it stays spent: 400,000 × 200 / 500 goes back, no more.
    expect(await teamBalance(env.t.db, s.teamId)).toBe(-160_000n);
    expect(await statement(s.statementId)).toMatchObject({ refundedCents: 200n, heldCents: 0n });
    expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
  });
});

describe("a statement's own charge disputed", () => {
  it("an open dispute holds the draw back, a won one gives it back; a lost one keeps it", async () => {
    const start = await eventCount();
    const won = await issuedStatement({ card: true });
    const lost = await issuedStatement({ card: true });
    await deliverAll(await eventsSince(start));

    let mark = await eventCount();
    const dw = await env.control<{ id: string }>(`charges/${won.chargeId}/dispute`, {});
    const dl = await env.control<{ id: string }>(`charges/${lost.chargeId}/dispute`, {});
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, won.teamId)).toBe(-DRAWN);
    expect(await statement(won.statementId)).toMatchObject({ heldCents: 500n, refundedCents: 0n });

    mark = await eventCount();
    await env.control(`disputes/${dw.id}/close`, { status: "won" });
    await env.control(`disputes/${dl.id}/close`, { status: "lost" });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, won.teamId)).toBe(0n);
    expect(await statement(won.statementId)).toMatchObject({ heldCents: 0n });
    expect(await teamBalance(env.t.db, lost.teamId)).toBe(-DRAWN);
    expect(await statement(lost.statementId)).toMatchObject({ heldCents: 500n });
    // The credit-line reviewers see it beside the disputes of top-ups.
    expect((await getReviewFacts({ db: env.t.db, teamId: lost.teamId })).disputes).toEqual({ count: 1, cents: 500n, open: 0, lost: 1 });
    const kinds = await env.t.db.ledgerEntry.findMany({
      where: { teamId: won.teamId, referenceType: "statement", kind: { not: "CREDIT_LINE_STATEMENT" } },
      orderBy: { seq: "asc" },
    });
    expect(kinds.map((e) => [e.kind, e.amount])).toEqual([
      ["DISPUTE", -DRAWN],
      ["DISPUTE_REVERSAL", DRAWN],
    ]);
  });

  it("a refund inside an open inquiry: the inquiry closing does not give back what the refund took", async () => {
    const start = await eventCount();
    const s = await issuedStatement({ card: true });
    const inquiry = await env.control<{ id: string }>(`charges/${s.chargeId}/dispute`, { inquiry: true });
    await env.stripe.refunds.create({ charge: s.chargeId });
    await env.control(`disputes/${inquiry.id}/close`, { status: "warning_closed" });
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(-DRAWN);
    expect(await statement(s.statementId)).toMatchObject({ refundedCents: 500n, heldCents: 0n });
    expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
  });
});

describe("a statement taken back does not count as paid", () => {
  it("a statement whose charge is disputed or refunded is no healthy cycle toward an increase; a won dispute makes it one again", async () => {
    const start = await eventCount();
    const disputed = await issuedStatement({ card: true });
    const refunded = await issuedStatement({ card: true });
    await deliverAll(await eventsSince(start));
    expect(await countHealthyCycles(env.t.db, disputed.teamId)).toBe(1);
    expect(await countHealthyCycles(env.t.db, refunded.teamId)).toBe(1);

    let mark = await eventCount();
    const d = await env.control<{ id: string }>(`charges/${disputed.chargeId}/dispute`, {});
    await env.stripe.refunds.create({ charge: refunded.chargeId, amount: 100 });
    await deliverAll(await eventsSince(mark));
    // Its payment was taken back (the draw is owed again): the statement was not paid, on time or otherwise.
    expect(await countHealthyCycles(env.t.db, disputed.teamId)).toBe(0);
    expect(await countHealthyCycles(env.t.db, refunded.teamId)).toBe(0);

    mark = await eventCount();
    await env.control(`disputes/${d.id}/close`, { status: "won" });
    await deliverAll(await eventsSince(mark));
    expect(await countHealthyCycles(env.t.db, disputed.teamId)).toBe(1);
  });
});

describe("whatever order the events arrive in", () => {
  it("a refund delivered before the invoice events that repay the statement applies when it is repaid", async () => {
    const start = await eventCount();
    const s = await issuedStatement({ card: false });
    await env.stripe.refunds.create({ charge: s.chargeId, amount: 100 });
    const events = await eventsSince(start);
    // Any invoice event reads the invoice fresh and repays a paid statement: hold them all back.
    const paid = events.filter((e) => e.type.startsWith("invoice."));
    expect(paid.map((e) => e.type)).toContain("invoice.paid");
    await deliverAll(events.filter((e) => !e.type.startsWith("invoice.")));
    expect(await statement(s.statementId)).toMatchObject({ status: "OPEN", refundedCents: 0n });
    expect(await teamBalance(env.t.db, s.teamId)).toBe(-DRAWN);
    await deliverAll(paid);
    expect(await statement(s.statementId)).toMatchObject({ status: "PAID", refundedCents: 100n });
    expect(await teamBalance(env.t.db, s.teamId)).toBe(-80_000n);
  });

  it("all of a statement's events at once (its invoice paid, a refund, a dispute) neither deadlock nor move a credit twice", async () => {
    const start = await eventCount();
    const s = await issuedStatement({ card: false });
    await env.stripe.refunds.create({ charge: s.chargeId, amount: 100 });
    await env.control(`charges/${s.chargeId}/dispute`, {});
    const events = await eventsSince(start);
    const statuses = await Promise.all(
      [...events, ...events].map(
        async (e) => (await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, JSON.stringify(e.event)))).status,
      ),
    );
    expect(statuses.filter((c) => c !== 200)).toEqual([]);
    const expected = await expectedFromStripe(s.chargeId, s.paidCents);
    expect(await teamBalance(env.t.db, s.teamId)).toBe(expected.balance);
    expect(await statement(s.statementId)).toMatchObject({ status: "PAID", refundedCents: expected.refunded, heldCents: expected.held });
    expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
  });

  it("any order, and any repetition, of a statement's payment, refunds and dispute ends where Stripe's final state says", async () => {
    // One scenario per run: paid on Stripe, refunded in part, disputed, the dispute won or lost, a refund failing.
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          refund: fc.integer({ min: 0, max: 300 }),
          dispute: fc.constantFrom("none", "won", "lost", "open"),
          failRefund: fc.boolean(),
          seed: fc.integer(),
          repeats: fc.array(fc.nat(40), { maxLength: 3 }),
        }),
        async ({ refund, dispute, failRefund, seed, repeats }) => {
          const start = await eventCount();
          const s = await issuedStatement({ card: false });
          if (refund > 0) {
            const r = await env.stripe.refunds.create({ charge: s.chargeId, amount: refund });
            if (failRefund) await env.control(`refunds/${r.id}/fail`, {});
          }
          if (dispute !== "none") {
            const d = await env.control<{ id: string }>(`charges/${s.chargeId}/dispute`, {});
            if (dispute !== "open") await env.control(`disputes/${d.id}/close`, { status: dispute });
          }
          const events = await eventsSince(start);
          const order = shuffle(events, seed);
          for (const i of repeats) if (events.length) order.push(events[i % events.length]!);
          await deliverAll(order);
          const expected = await expectedFromStripe(s.chargeId, s.paidCents);
          expect(await teamBalance(env.t.db, s.teamId)).toBe(expected.balance);
          expect(await statement(s.statementId)).toMatchObject({ status: "PAID", refundedCents: expected.refunded, heldCents: expected.held });
          expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000); // a dozen statements issued and replayed: past vitest's 30 s on a loaded machine (seen at load 11 on 2 cores)
});

describe("events that are not a statement's", () => {
  it("a refund of someone else's invoice naming one of our statements in its metadata is ignored", async () => {
    const start = await eventCount();
    const ours = await issuedStatement({ card: true });
    await deliverAll(await eventsSince(start));
    // Our team's next statement, not issued yet (no invoice recorded): the kind the invoice metadata can name.
    const next = await env.t.db.statement.create({
      data: { teamId: ours.teamId, kind: "CREDIT_LINE", closesAt: new Date(), drawnCredits: DRAWN, amountCents: 500n, status: "PAID" },
    });
    // Another customer's invoice, paid, whose metadata claims that statement (metadata came back from Stripe: hostile).
    const other = await env.stripe.customers.create({ email: "mallory@example.test" });
    const pm = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: other.id });
    await env.stripe.invoiceItems.create({ customer: other.id, amount: 500, currency: "usd", description: "x" });
    const inv = await env.stripe.invoices.create({
      customer: other.id,
      metadata: { creditdesk_statement: next.id },
      pending_invoice_items_behavior: "include",
    });
    await env.stripe.invoices.pay(inv.id, { payment_method: pm.id });
    const payments = await env.stripe.invoicePayments.list({ invoice: inv.id });
    const mark = await eventCount();
    await env.stripe.refunds.create({ payment_intent: payments.data[0]!.payment.payment_intent as string });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, ours.teamId)).toBe(0n);
    expect(await statement(ours.statementId)).toMatchObject({ refundedCents: 0n });
    expect(await env.t.db.paymentMoneyFact.count({ where: { statementId: { in: [ours.statementId, next.id] } } })).toBe(0);
  });
});

/** A deterministic shuffle (fast-check's seed), so a failing order can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed | 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
