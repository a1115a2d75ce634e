import { issuePaymentInvoice } from "@/lib/billing/invoices/generate-payment-invoice";
import { readInvoices } from "@/lib/billing/invoices/read-invoices";
import { reply, route } from "@/lib/edge/route";
import { generateInvoiceRoute, invoicesRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(invoicesRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor, query }) =>
  readInvoices({ db, actor, cursor: query.cursor }),
);

/** "Generate invoice" for a paid payment: makes it once (201); a repeat answers the same invoice (200, created: false). */
export const POST = route(generateInvoiceRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor, body }) => {
  const r = await issuePaymentInvoice({ db, actor, paymentId: body.paymentId });
  return reply(r, { status: r.created ? 201 : 200 });
});
