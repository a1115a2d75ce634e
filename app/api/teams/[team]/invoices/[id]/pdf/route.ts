import { readInvoicePdf } from "@/lib/billing/invoices/read-invoices";
import { route } from "@/lib/edge/route";
import { invoicePdfRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The invoice as a PDF download, drawn from the stored invoice and the billing details it was issued to. */
export const GET = route(invoicePdfRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor, params }) => {
  const { filename, pdf } = await readInvoicePdf({ db, actor, invoiceId: params.id });
  return new Response(pdf as unknown as BodyInit, {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
