import type { Tx } from "../../db/client";
import type { Invoice } from "../../db/generated/client";
import { emitWebhookEvent, webhookMoney } from "./emit-event";

// The `data` of each billing event, built where the fact happens and emitted in its transaction (README "Webhooks"
// documents every shape). Money is integer cents or credits (numbers; decimal strings past 2^53), times ISO 8601.

/** invoice_created (issued: open or paid, never a draft or void) and invoice_paid, once per invoice each. */
export async function emitInvoiceEvents(tx: Tx, invoice: Invoice, opts: { failedEventId?: string | null } = {}): Promise<void> {
  const data = {
    invoice_id: invoice.id,
    number: invoice.number,
    source: invoice.source.toLowerCase(),
    status: invoice.status.toLowerCase(),
    amount_cents: webhookMoney(invoice.amountCents),
    amount_due_cents: invoice.amountDueCents === null ? null : webhookMoney(invoice.amountDueCents),
    amount_paid_cents: invoice.amountPaidCents === null ? null : webhookMoney(invoice.amountPaidCents),
    currency: invoice.currency,
    period_start: invoice.periodStart.toISOString(),
    period_end: invoice.periodEnd.toISOString(),
    paid_at: invoice.paidAt?.toISOString() ?? null,
    hosted_url: invoice.hostedUrl,
  };
  const teamId = invoice.teamId;
  if (invoice.status === "OPEN" || invoice.status === "PAID" || invoice.status === "UNCOLLECTIBLE") {
    await emitWebhookEvent(tx, { teamId, type: "invoice_created", data, dedupeKey: `invoice_created:${invoice.id}` });
  }
  if (invoice.status === "PAID") await emitWebhookEvent(tx, { teamId, type: "invoice_paid", data, dedupeKey: `invoice_paid:${invoice.id}` });
  if (opts.failedEventId) {
    await emitWebhookEvent(tx, { teamId, type: "invoice_failed", data, dedupeKey: `invoice_failed:${invoice.id}:${opts.failedEventId}` });
  }
}

/**
 * payment_refunded: a payment's (or a statement's charge's) money position moved towards the customer: more refunded,
 * or a dispute now holds some. Once per position reached (the dedupe key is the position).
 */
export async function emitPaymentRefunded(
  tx: Tx,
  p: {
    teamId: string;
    owner: { paymentId: string } | { statementId: string } | { invoiceId: string };
    currency: string;
    paidCents: bigint;
    refundedCents: bigint;
    disputedCents: bigint;
    creditsTakenBack: bigint;
  },
): Promise<void> {
  const ownerKey = "paymentId" in p.owner ? p.owner.paymentId : "statementId" in p.owner ? p.owner.statementId : p.owner.invoiceId;
  await emitWebhookEvent(tx, {
    teamId: p.teamId,
    type: "payment_refunded",
    data: {
      payment_id: "paymentId" in p.owner ? p.owner.paymentId : null,
      statement_id: "statementId" in p.owner ? p.owner.statementId : null,
      invoice_id: "invoiceId" in p.owner ? p.owner.invoiceId : null,
      kind: p.disputedCents > 0n ? "dispute" : "refund",
      currency: p.currency,
      amount_cents: webhookMoney(p.paidCents),
      refunded_cents: webhookMoney(p.refundedCents),
      disputed_cents: webhookMoney(p.disputedCents),
      credits_taken_back: webhookMoney(p.creditsTakenBack),
    },
    dedupeKey: `payment_refunded:${ownerKey}:${p.refundedCents}:${p.disputedCents}`,
  });
}

/**
 * credit_line_updated: an application was rejected, or the line's limit or suspension changed (`change`); `data` has the
 * line as it is now. Once per change: `changeId` is the change's audit row.
 */
export async function emitCreditLineUpdated(
  tx: Tx,
  p: {
    teamId: string;
    change: "limit_set" | "suspended" | "resumed" | "application_rejected";
    changeId: string;
    reason?: string | null;
    applicationId?: string | null;
  },
): Promise<void> {
  const team = await tx.team.findUniqueOrThrow({
    where: { id: p.teamId },
    select: { creditLimitCents: true, creditLimitCredits: true, drawSuspendedAt: true },
  });
  await emitWebhookEvent(tx, {
    teamId: p.teamId,
    type: "credit_line_updated",
    data: {
      change: p.change,
      limit_cents: webhookMoney(team.creditLimitCents),
      limit_credits: webhookMoney(team.creditLimitCredits),
      suspended: team.drawSuspendedAt !== null,
      application_id: p.applicationId ?? null,
      reason: p.reason ?? null,
    },
    dedupeKey: `credit_line_updated:${p.changeId}`,
  });
}
