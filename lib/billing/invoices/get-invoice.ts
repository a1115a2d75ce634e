import type { Tx } from "../../db/client";
import { type InvoiceView, viewInvoices } from "./invoice-view";

/** One of the team's invoices by id, or null (another team's id finds nothing). */
export async function getInvoice({ db, teamId, invoiceId }: { db: Tx; teamId: string; invoiceId: string }): Promise<InvoiceView | null> {
  const row = await db.invoice.findFirst({ where: { id: invoiceId, teamId } });
  return row ? ((await viewInvoices(db, [row]))[0] ?? null) : null;
}
