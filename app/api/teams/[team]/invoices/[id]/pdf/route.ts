import { withTeamSession } from "@/lib/auth/team-route";
import { BillingError } from "@/lib/billing/errors";
import { getInvoice } from "@/lib/billing/invoices/get-invoice";
import { renderInvoicePdf } from "@/lib/billing/invoices/render-invoice-pdf";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The invoice as a PDF download, drawn from the stored invoice and the billing details it was issued to. */
export const GET = withTeamSession<{ team: string; id: string }>("billing:read", async ({ params, team, db }) => {
  const invoice = await getInvoice({ db, teamId: team.id, invoiceId: params.id });
  if (!invoice) throw new BillingError("NOT_FOUND", "That invoice does not exist.");
  const pdf = await renderInvoicePdf({ invoice, issuer: { name: process.env.INVOICE_ISSUER_NAME?.trim() || "Creditdesk", lines: (process.env.INVOICE_ISSUER_ADDRESS ?? "").split("|").map((l) => l.trim()).filter(Boolean) } });
  const filename = `invoice-${invoice.number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;
  return new Response(pdf as unknown as BodyInit, {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store", "x-content-type-options": "nosniff" },
  });
});
