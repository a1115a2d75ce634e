import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import type { PaymentView } from "../payments/payment-view";
import { getInvoice } from "./get-invoice";
import { listInvoices } from "./list-invoices";
import { listUninvoicedPayments } from "./list-uninvoiced-payments";
import { renderInvoicePdf } from "./render-invoice-pdf";

// Invoices as the actor may see them, for pages and routes alike: FORBIDDEN without billing:read, so a page can never
// show what the route refuses.

/** A page of the actor's team's invoices, newest first (listInvoices). */
export async function readInvoices({ db, actor, cursor, limit }: { db: Tx; actor: Actor; cursor?: string | null; limit?: number }) {
  requirePermission(actor, "billing:read");
  return listInvoices({ db, teamId: actor.teamId, cursor, limit });
}

/** The actor's team's paid payments that have no invoice yet, newest first. */
export async function readUninvoicedPayments({ db, actor, limit }: { db: Tx; actor: Actor; limit?: number }): Promise<PaymentView[]> {
  requirePermission(actor, "billing:read");
  return listUninvoicedPayments({ db, teamId: actor.teamId, limit });
}

/** One invoice as a PDF download: its bytes and a file name safe for Content-Disposition. NOT_FOUND for another team's. */
export async function readInvoicePdf({ db, actor, invoiceId }: { db: Tx; actor: Actor; invoiceId: string }): Promise<{ filename: string; pdf: Uint8Array }> {
  requirePermission(actor, "billing:read");
  const invoice = await getInvoice({ db, teamId: actor.teamId, invoiceId });
  if (!invoice) throw new BillingError("NOT_FOUND", "That invoice does not exist.");
  return { filename: `invoice-${invoice.number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`, pdf: await renderInvoicePdf({ invoice }) };
}
