import Stripe from "stripe";
import { z } from "zod";
import { ourMetadata, statementRef, stripeCents, stripeCurrency, stripeId, stripeRef, stripeStatus } from "./event-schemas";
import type { Db } from "../db/client";
import { findPaymentForCharge } from "../billing/payments/find-payment-for-charge";
import type { MoneyFact } from "../billing/payments/money-facts";
import { recordMoneyFacts } from "../billing/payments/record-money-facts";
import { recordStatementMoneyFacts } from "../billing/statements/statement-money";
import { recordInvoiceMoneyFacts } from "../billing/invoices/invoice-money";
import type { StripeInvoiceSnapshot } from "../billing/invoices/upsert-stripe-invoice";
import { toStripeInvoiceSnapshot } from "./purchase-event-handlers";
import { toBillingError, isStripeError } from "./client";
import type { StripeEventHandler } from "./event-handlers";
import { MalformedEventError } from "./read-stripe-event";

const refundBody = z.object({
  object: z.literal("refund"),
  id: stripeId,
  amount: stripeCents,
  currency: stripeCurrency,
  status: stripeStatus,
  charge: stripeRef.nullish(),
  payment_intent: stripeRef.nullish(),
  metadata: ourMetadata,
});
const chargeBody = z.object({
  object: z.literal("charge"),
  id: stripeId,
  amount_refunded: stripeCents,
  currency: stripeCurrency,
  payment_intent: stripeRef.nullish(),
  metadata: ourMetadata,
  refunds: z.object({ data: z.array(z.unknown()) }).nullish(),
});
const disputeBody = z.object({
  object: z.literal("dispute"),
  id: stripeId,
  amount: stripeCents,
  currency: stripeCurrency,
  status: stripeStatus,
  charge: stripeRef,
  payment_intent: stripeRef.nullish(),
});

type MoneyNews = {
  chargeId: string | null;
  paymentIntentId: string | null;
  metadataPaymentId: string | null;
  metadataTeamId: string | null;
  facts: MoneyFact[];
};

const refundFact = (r: z.infer<typeof refundBody>): MoneyFact => ({
  kind: "refund",
  id: r.id,
  chargeId: r.charge ?? null,
  amountCents: r.amount,
  currency: r.currency,
  status: r.status,
});

/** The money facts an event body states, or why it states none we can use. */
export function readMoneyNews(object: unknown): MoneyNews | { unreadable: string } {
  const kind = (object as { object?: unknown } | null)?.object;
  if (kind === "refund") {
    const r = refundBody.safeParse(object);
    if (!r.success) return { unreadable: "refund" };
    return {
      chargeId: r.data.charge ?? null,
      paymentIntentId: r.data.payment_intent ?? null,
      metadataPaymentId: r.data.metadata.paymentId,
      metadataTeamId: r.data.metadata.teamId,
      facts: [refundFact(r.data)],
    };
  }
  if (kind === "charge") {
    const c = chargeBody.safeParse(object);
    if (!c.success) return { unreadable: "charge" };
    const listed = (c.data.refunds?.data ?? [])
      .map((x) => refundBody.safeParse(x))
      .filter((x) => x.success)
      .map((x) => refundFact(x.data));
    const charge: MoneyFact = {
      kind: "charge",
      id: c.data.id,
      chargeId: c.data.id,
      amountCents: c.data.amount_refunded,
      currency: c.data.currency,
      status: "reported",
    };
    return {
      chargeId: c.data.id,
      paymentIntentId: c.data.payment_intent ?? null,
      metadataPaymentId: c.data.metadata.paymentId,
      metadataTeamId: c.data.metadata.teamId,
      facts: [charge, ...listed],
    };
  }
  if (kind === "dispute") {
    const d = disputeBody.safeParse(object);
    if (!d.success) return { unreadable: "dispute" };
    const fact: MoneyFact = {
      kind: "dispute",
      id: d.data.id,
      chargeId: d.data.charge,
      amountCents: d.data.amount,
      currency: d.data.currency,
      status: d.data.status,
    };
    return { chargeId: d.data.charge, paymentIntentId: d.data.payment_intent ?? null, metadataPaymentId: null, metadataTeamId: null, facts: [fact] };
  }
  return { unreadable: typeof kind === "string" ? kind.slice(0, 40) : "object" };
}

/** A Stripe read where "no such object" means "not ours" (null) and any other failure is retried. */
async function readOrMissing<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (isStripeError(e, "StripeError") && (e.code === "resource_missing" || e.statusCode === 404)) return null;
    throw toBillingError(what, e);
  }
}

/**
 * Finds our payment for money news that may arrive before fulfilment stored the charge and PaymentIntent ids (a
 * refund or dispute body carries no metadata): by our stored ids, then by the PaymentIntent read from Stripe (its
 * metadata, else the Checkout Session that made it). paymentId is null when the charge is not a payment of ours; the
 * PaymentIntent found on the way is handed back for the statements' turn.
 */
async function matchPayment(db: Db, stripe: Stripe, news: MoneyNews): Promise<{ paymentId: string | null; paymentIntentId: string | null }> {
  const known = await findPaymentForCharge(db, news);
  if (known) return { paymentId: known.id, paymentIntentId: news.paymentIntentId };
  let piId = news.paymentIntentId;
  if (!piId && news.chargeId) {
    const chargeId = news.chargeId;
    const charge = await readOrMissing("reading a charge", () => stripe.charges.retrieve(chargeId));
    piId = typeof charge?.payment_intent === "string" ? charge.payment_intent : (charge?.payment_intent?.id ?? null);
  }
  if (!piId) return { paymentId: null, paymentIntentId: null };
  const intentId = piId;
  const pi = await readOrMissing("reading a payment", () => stripe.paymentIntents.retrieve(intentId));
  if (!pi) return { paymentId: null, paymentIntentId: null };
  const meta = pi.metadata ?? {};
  const byMeta = await findPaymentForCharge(db, {
    paymentIntentId: intentId,
    metadataPaymentId: meta.payment_id ?? null,
    metadataTeamId: meta.team_id ?? null,
  });
  if (byMeta) return { paymentId: byMeta.id, paymentIntentId: intentId };
  const sessions = await readOrMissing("finding a checkout", () => stripe.checkout.sessions.list({ payment_intent: intentId, limit: 1 }));
  const sessionId = sessions?.data[0]?.id;
  const bySession = sessionId ? await findPaymentForCharge(db, { checkoutSessionId: sessionId }) : null;
  return { paymentId: bySession?.id ?? null, paymentIntentId: intentId };
}

/**
 * Finds the invoice a charge paid, when it paid one of a team's: a statement's (its repaid credits follow the charge),
 * else a subscription invoice (the plan credits it granted follow the charge). A statement is the charge already known
 * from an earlier fact, else the invoice Stripe says the PaymentIntent paid (invoice payments), matched by the invoice
 * id the statement recorded, or by the statement id in the invoice's metadata when the invoice is the same team's
 * customer's and the statement has recorded no other invoice (metadata came back from Stripe: it is checked, not
 * trusted). Any other invoice counts only when its customer is a team's. Null when no invoice of ours was paid.
 */
async function matchInvoice(
  db: Db,
  stripe: Stripe,
  chargeId: string | null,
  paymentIntentId: string | null,
): Promise<{ statementId: string } | { invoice: StripeInvoiceSnapshot } | null> {
  if (chargeId) {
    const known = await db.paymentMoneyFact.findFirst({ where: { chargeId, statementId: { not: null } }, select: { statementId: true } });
    if (known?.statementId) return { statementId: known.statementId };
  }
  if (!paymentIntentId) return null;
  const paid = await readOrMissing("finding an invoice payment", () =>
    stripe.invoicePayments.list({ payment: { type: "payment_intent", payment_intent: paymentIntentId }, limit: 1 }),
  );
  const ref = paid?.data[0]?.invoice;
  const invoiceId = typeof ref === "string" ? ref : (ref?.id ?? null);
  if (!invoiceId) return null;
  const recorded = await db.statement.findUnique({ where: { stripeInvoiceId: invoiceId }, select: { id: true } });
  if (recorded) return { statementId: recorded.id };
  const invoice = await readOrMissing("reading an invoice", () => stripe.invoices.retrieve(invoiceId));
  const customer = typeof invoice?.customer === "string" ? invoice.customer : (invoice?.customer?.id ?? null);
  if (!invoice || !customer) return null;
  const id = statementRef.safeParse("metadata" in invoice ? invoice.metadata?.creditdesk_statement : undefined);
  if (id.success) {
    const st = await db.statement.findFirst({
      where: { id: id.data, stripeInvoiceId: null, team: { stripeCustomerId: customer } },
      select: { id: true },
    });
    if (st) return { statementId: st.id };
  }
  const team = await db.team.findUnique({ where: { stripeCustomerId: customer }, select: { id: true } });
  return team ? { invoice: toStripeInvoiceSnapshot(invoice) } : null;
}

type MoneyPrepared =
  | { news: MoneyNews; paymentId: string; paymentIntentId: string | null }
  | { news: MoneyNews; statementId: string }
  | { news: MoneyNews; invoice: StripeInvoiceSnapshot }
  | { skip: string };

/**
 * charge.refunded, charge.refund.updated, refund.*, charge.dispute.*: record what the body says about the money and
 * reconcile the credits it bought to it: a payment's (lib/billing/payments/record-money-facts.ts), those a
 * statement's own charge repaid (lib/billing/statements/statement-money.ts), or the plan credits a subscription
 * invoice granted (lib/billing/invoices/invoice-money.ts).
 */
export const moneyEvent: StripeEventHandler<MoneyPrepared> = {
  prepare: async ({ db, stripe, event }) => {
    const news = readMoneyNews(event.data?.object);
    if ("unreadable" in news) throw new MalformedEventError(news.unreadable);
    const match = await matchPayment(db, stripe, news);
    if (match.paymentId) return { news, paymentId: match.paymentId, paymentIntentId: match.paymentIntentId };
    const invoice = await matchInvoice(db, stripe, news.chargeId, match.paymentIntentId);
    if (invoice) return { news, ...invoice };
    return { skip: "not a Creditdesk payment" };
  },
  apply: async ({ tx, prepared }) => {
    if ("skip" in prepared) return `ignored: ${prepared.skip}`;
    if ("invoice" in prepared) {
      const r = await recordInvoiceMoneyFacts({ db: tx, snapshot: prepared.invoice, facts: prepared.news.facts });
      if (!r) return `ignored: invoice ${prepared.invoice.id} is not a team's`;
      const word = r.delta > 0n ? "taken_back" : r.delta < 0n ? "given_back" : "unchanged";
      return `${word} invoice ${r.invoice.id}`;
    }
    if ("statementId" in prepared) {
      const s = await recordStatementMoneyFacts({ db: tx, statementId: prepared.statementId, facts: prepared.news.facts });
      if (!s) return `ignored: no statement ${prepared.statementId}`;
      const word = s.delta > 0n ? "taken_back" : s.delta < 0n ? "given_back" : s.statement.status === "PAID" ? "unchanged" : "kept_until_paid";
      return `${word} statement ${s.statement.id}`;
    }
    const r = await recordMoneyFacts({
      db: tx,
      input: { paymentId: prepared.paymentId, chargeId: prepared.news.chargeId, paymentIntentId: prepared.paymentIntentId, facts: prepared.news.facts },
    });
    if (r.outcome !== "recorded") return `${r.outcome}${r.payment ? ` ${r.payment.id}` : ""}`;
    const word = r.delta > 0n ? "taken_back" : r.delta < 0n ? "given_back" : r.payment.succeededAt ? "unchanged" : "kept_until_paid";
    return `${word} ${r.payment.id}`;
  },
};

export const MONEY_EVENT_TYPES = [
  "charge.refunded",
  "charge.refund.updated",
  "refund.created",
  "refund.updated",
  "refund.failed",
  "charge.dispute.created",
  "charge.dispute.updated",
  "charge.dispute.closed",
  "charge.dispute.funds_withdrawn",
  "charge.dispute.funds_reinstated",
] as const;
