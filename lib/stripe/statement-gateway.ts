import Stripe from "stripe";
import type { StatementGateway } from "../billing/statements/statement-port";
import { callStripe, toBillingError, isStripeError } from "./client";

const idOf = (v: string | { id: string } | null | undefined) => (v == null ? null : typeof v === "string" ? v : v.id);

/**
 * What the customer paid on an invoice: by card, and from its Stripe credit balance (a downgrade's proration credit),
 * which Stripe applies at finalization and leaves out of amount_paid.
 */
export function invoicePaidCents(inv: Pick<Stripe.Invoice, "amount_paid" | "starting_balance" | "ending_balance">): number {
  const creditUsed = (inv.ending_balance ?? inv.starting_balance ?? 0) - (inv.starting_balance ?? 0);
  return inv.amount_paid + (creditUsed > 0 ? creditUsed : 0);
}

/**
 * Statements as Stripe invoices: create (on the subscription when there is one), add the one line, finalize, and for
 * charge_automatically pay with the card on file. Each step is keyed by the statement, and the invoice is read again
 * before each next step (a replayed create answers with the draft as it was), so a retry after a crash continues where
 * the last attempt stopped. A card declined leaves the invoice open: Stripe retries it and its hosted page takes payment.
 */
export function stripeStatementGateway(stripe: Stripe): StatementGateway {
  return {
    issueStatementInvoice: async (s) => {
      const key = s.idempotencyKey;
      // The card on file: the subscription's own, else the customer's default; without one the statement is sent.
      const customer = await callStripe("reading a customer", () => stripe.customers.retrieve(s.customerId));
      const customerCard = "deleted" in customer ? null : idOf(customer.invoice_settings?.default_payment_method as string | { id: string } | null);
      const collection = s.subscriptionId || customerCard ? "charge_automatically" : "send_invoice";
      const created = await callStripe("creating a statement invoice", () =>
        stripe.invoices.create(
          {
            customer: s.customerId,
            ...(s.subscriptionId ? { subscription: s.subscriptionId } : {}),
            collection_method: collection,
            ...(collection === "send_invoice" ? { days_until_due: s.daysUntilDue } : {}),
            // Not before it has its line: Stripe finalizes an auto-advancing draft after an hour, and an empty one would
            // be "paid" at $0 if a retry came later than that. Finalizing turns automatic collection on.
            auto_advance: false,
            pending_invoice_items_behavior: "exclude",
            currency: s.currency,
            description: s.description,
            metadata: s.metadata,
          },
          { idempotencyKey: `${key}:invoice` },
        ),
      );
      const read = () => callStripe("reading a statement invoice", () => stripe.invoices.retrieve(created.id));
      let invoice = await read();
      if (invoice.status === "draft" && (invoice.lines?.data.length ?? 0) === 0) {
        await callStripe("adding a statement line", () =>
          stripe.invoiceItems.create(
            {
              customer: s.customerId,
              invoice: invoice.id,
              amount: Number(s.amountCents),
              currency: s.currency,
              description: s.description,
              metadata: s.metadata,
            },
            { idempotencyKey: `${key}:item` },
          ),
        );
      }
      if (invoice.status === "draft") {
        await callStripe("finalizing a statement invoice", () =>
          stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: true }, { idempotencyKey: `${key}:finalize` }),
        );
        invoice = await read();
      }
      if (invoice.status === "open" && invoice.collection_method === "charge_automatically") {
        try {
          await stripe.invoices.pay(invoice.id, { off_session: true }, { idempotencyKey: `${key}:pay` });
        } catch (e) {
          // Declined, no card, or paid meanwhile: the invoice stays as Stripe has it (read below); anything else is an error.
          if (!isStripeError(e, "StripeCardError") && !isStripeError(e, "StripeInvalidRequestError")) throw toBillingError("paying a statement invoice", e);
        }
        invoice = await read();
      }
      return {
        invoiceId: invoice.id,
        customerId: idOf(invoice.customer as string | { id: string } | null),
        status: invoice.status ?? null,
        amountPaidCents: invoicePaidCents(invoice),
        hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
        collection: invoice.collection_method === "send_invoice" ? "send_invoice" : "charge_automatically",
      };
    },
  };
}
