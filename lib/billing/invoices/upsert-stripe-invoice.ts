import type { Tx } from "../../db/client";
import type { Invoice, Prisma } from "../../db/generated/client";
import type { InvoiceStatus } from "../../db/generated/enums";
import { getBillingDetails } from "../billing-details/get-billing-details";
import { emitInvoiceEvents } from "../webhooks/billing-events";
import { withTx } from "../with-tx";
import type { InvoiceBilledTo, InvoiceLine } from "./invoice-view";

/** The facts about a Stripe invoice Creditdesk keeps, read fresh from Stripe by the gateway. */
export type StripeInvoiceSnapshot = {
  id: string;
  number: string | null;
  customerId: string | null;
  /** draft | open | paid | void | uncollectible */
  status: string | null;
  totalCents: number;
  amountDueCents: number;
  amountPaidCents: number;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  paidAt: Date | null;
  hostedUrl: string | null;
  /** Stripe's PDF of the invoice. */
  pdfUrl: string | null;
  lines: { description: string; quantity: number; amountCents: number }[];
};

const STATUS: Record<string, InvoiceStatus> = { draft: "DRAFT", open: "OPEN", paid: "PAID", void: "VOID", uncollectible: "UNCOLLECTIBLE" };
// Stripe moves an invoice only forward: draft → open → paid | void | uncollectible, and uncollectible → paid | void.
const STAGE: Record<InvoiceStatus, number> = { DRAFT: 0, OPEN: 1, UNCOLLECTIBLE: 2, PAID: 3, VOID: 3 };

/**
 * Copies a subscription invoice from Stripe into the team's invoices (the team whose Stripe customer it is), converging:
 * the same invoice again updates status, amount, paid time and URL, so repeated and out-of-order events end in Stripe's
 * latest state. A snapshot read before one already copied (two deliveries read Stripe at different times and apply in
 * the other order) cannot move the row back: a status earlier in Stripe's order than the row's is not applied.
 * Billed-to details are taken when the invoice is first copied. Null when the customer is not a team's.
 */
export async function upsertStripeInvoice({
  db,
  snapshot,
  failedEventId = null,
}: {
  db: Tx;
  snapshot: StripeInvoiceSnapshot;
  /** The Stripe event that reported a failed payment of it (invoice.payment_failed), for the invoice_failed webhook. */
  failedEventId?: string | null;
}): Promise<Invoice | null> {
  if (!snapshot.customerId) return null;
  return withTx(db, async (tx) => {
    const team = await tx.team.findUnique({ where: { stripeCustomerId: snapshot.customerId! }, select: { id: true, name: true } });
    if (!team) return null;
    const status = STATUS[snapshot.status ?? "draft"] ?? "DRAFT";
    const lines: InvoiceLine[] = snapshot.lines.map((l) => ({ description: l.description, quantity: l.quantity, amountCents: String(l.amountCents) }));
    const common = {
      status,
      amountCents: BigInt(snapshot.totalCents),
      amountDueCents: BigInt(snapshot.amountDueCents),
      amountPaidCents: BigInt(snapshot.amountPaidCents),
      currency: snapshot.currency.toLowerCase(),
      periodStart: snapshot.periodStart,
      periodEnd: snapshot.periodEnd,
      paidAt: snapshot.paidAt,
      hostedUrl: snapshot.hostedUrl,
      pdfUrl: snapshot.pdfUrl,
      lines: lines as unknown as Prisma.InputJsonValue,
    };
    // Locked, so two deliveries of one invoice apply one after the other and the stage check sees the other's write.
    await tx.$queryRawUnsafe(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, team.id);
    const existing = await tx.invoice.findUnique({ where: { stripeInvoiceId: snapshot.id } });
    if (existing) {
      if (existing.teamId !== team.id) return null;
      // Never back in Stripe's order, and never from one end (paid, void) to the other; open → paid is a move forward.
      if (STAGE[status] < STAGE[existing.status] || (STAGE[existing.status] === 3 && status !== existing.status)) return existing;
      const updated = await tx.invoice.update({ where: { id: existing.id }, data: { ...common, ...(snapshot.number ? { number: snapshot.number } : {}) } });
      await emitInvoiceEvents(tx, updated, { failedEventId });
      return updated;
    }
    const { updatedAt: _u, ...details } = await getBillingDetails({ db: tx, teamId: team.id });
    const billedTo: InvoiceBilledTo = { teamName: team.name, ...details };
    const created = await tx.invoice.create({
      data: {
        teamId: team.id,
        source: "STRIPE",
        stripeInvoiceId: snapshot.id,
        number: snapshot.number ?? snapshot.id,
        billedTo: billedTo as unknown as Prisma.InputJsonValue,
        ...common,
      },
    });
    await emitInvoiceEvents(tx, created, { failedEventId });
    return created;
  });
}
