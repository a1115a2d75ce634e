import { createHash } from "node:crypto";
import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { Invoice, Prisma } from "../../db/generated/client";
import { getBillingDetails } from "../billing-details/get-billing-details";
import { BillingError, isUniqueViolation } from "../errors";
import { formatCents, formatCredits } from "../money";
import { loadPaymentCredits } from "../payments/payment-credits";
import { emitInvoiceEvents } from "../webhooks/billing-events";
import { withTx } from "../with-tx";
import { paymentKindWords, paymentMethodWords } from "../words";
import { type InvoiceBilledTo, type InvoiceLine, type InvoiceView, viewInvoices } from "./invoice-view";

/** A short, stable tag per team, so invoice numbers are unique across teams without showing ids. */
export const invoiceTeamTag = (teamId: string) => createHash("sha256").update(teamId).digest("hex").slice(0, 6).toUpperCase();

/**
 * Creditdesk's own invoice for a paid payment (top-ups are Checkout payments, which make no Stripe invoice), made once:
 * the payment row is locked and invoices.payment_id is unique, so a repeat (or a concurrent twin) returns the first
 * invoice with created: false. Numbered per team (CD-<tag>-00001), billed to the team's billing details as they are now
 * (kept on the invoice). Audit-logged.
 */
export async function generatePaymentInvoice({
  db,
  teamId,
  paymentId,
  actorUserId,
}: {
  db: Tx;
  teamId: string;
  paymentId: string;
  actorUserId: string | null;
}): Promise<{ invoice: Invoice; created: boolean }> {
  try {
    return await withTx(db, async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM payments WHERE id = ${paymentId} AND team_id = ${teamId} FOR UPDATE`;
      if (!locked[0]) throw new BillingError("NOT_FOUND", "That payment does not exist.");
      const existing = await tx.invoice.findUnique({ where: { paymentId } });
      if (existing) return { invoice: existing, created: false };
      const payment = await tx.payment.findUniqueOrThrow({
        where: { id: paymentId },
        include: { team: { select: { name: true } }, coupon: { select: { code: true } } },
      });
      if (!payment.succeededAt) throw new BillingError("VALIDATION_FAILED", "Only a paid payment can have an invoice.", { field: "paymentId" });
      const [seq] = await tx.$queryRaw<{ invoice_seq: number }[]>`UPDATE teams SET invoice_seq = invoice_seq + 1 WHERE id = ${teamId} RETURNING invoice_seq`;
      const details = await getBillingDetails({ db: tx, teamId });
      const { updatedAt: _u, ...fields } = details;
      const billedTo: InvoiceBilledTo = { teamName: payment.team.name, ...fields };
      const method = paymentMethodWords(payment.method);
      // The same breakdown payment history and Invoices show: bought, then what the code added (free lines).
      const credits = (await loadPaymentCredits(tx, [payment])).get(payment.id)!;
      const lines: InvoiceLine[] = [
        {
          description: `${paymentKindWords(payment.kind)}: ${formatCredits(credits.bought)} credits (${method}, ${formatCents(payment.amountCents, payment.currency)})`,
          quantity: 1,
          amountCents: payment.amountCents.toString(),
        },
      ];
      if (credits.bonus > 0n) lines.push({ description: `Promotional bonus: ${formatCredits(credits.bonus)} credits`, quantity: 1, amountCents: "0" });
      if (credits.coupon > 0n)
        lines.push({
          description: `${payment.coupon ? `Code ${payment.coupon.code}` : "Code"}: ${formatCredits(credits.coupon)} credits`,
          quantity: 1,
          amountCents: "0",
        });
      const invoice = await tx.invoice.create({
        data: {
          teamId,
          number: `CD-${invoiceTeamTag(teamId)}-${String(seq?.invoice_seq ?? 1).padStart(5, "0")}`,
          source: "CREDITDESK",
          status: "PAID",
          amountCents: payment.amountCents,
          currency: payment.currency,
          paymentId,
          periodStart: payment.succeededAt,
          periodEnd: payment.succeededAt,
          paidAt: payment.succeededAt,
          lines: lines as unknown as Prisma.InputJsonValue,
          billedTo: billedTo as unknown as Prisma.InputJsonValue,
        },
      });
      await tx.auditLog.create({
        data: { teamId, actorUserId, action: "invoice.generated", targetType: "invoice", targetId: invoice.id, data: { paymentId, number: invoice.number } },
      });
      await emitInvoiceEvents(tx, invoice);
      return { invoice, created: true };
    });
  } catch (e) {
    // A concurrent twin committed first (unique payment_id): answer with its invoice.
    if (!isUniqueViolation(e)) throw e;
    const winner = await db.invoice.findFirst({ where: { paymentId, teamId } });
    if (!winner) throw e;
    return { invoice: winner, created: false };
  }
}

/** "Generate invoice" for a paid payment of the actor's team: made once; a repeat answers the same invoice (created: false). */
export async function issuePaymentInvoice({ db, actor, paymentId }: { db: Tx; actor: Actor; paymentId: string }): Promise<{
  invoice: InvoiceView;
  created: boolean;
}> {
  requirePermission(actor, "billing:write");
  const r = await generatePaymentInvoice({ db, teamId: actor.teamId, paymentId, actorUserId: actor.kind === "user" ? actor.userId : null });
  const [invoice] = await viewInvoices(db, [r.invoice]);
  return { invoice: invoice!, created: r.created };
}
