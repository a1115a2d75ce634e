import { apiJson, withApiActor } from "@/lib/auth/api-route";
import { BillingError } from "@/lib/billing/errors";
import type { InvoiceView } from "@/lib/billing/invoices/invoice-view";
import { listInvoices } from "@/lib/billing/invoices/list-invoices";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/v1/billing/invoices — the team's invoices in the seed's shape, newest first: subscription invoices copied
// from Stripe (invoice_id is Stripe's in_…) and invoices Creditdesk generated for top-ups (its own inv_… id).
// ?limit=1..100 (default 100) and ?cursor=<next_cursor> page through; amounts are integer cents.

const shape = (i: InvoiceView) => ({
  invoice_id: i.stripeInvoiceId ?? i.id,
  number: i.number,
  source: i.source,
  amount_usd_cents: i.amountCents,
  currency: i.currency,
  status: i.status,
  period: i.periodStart.toISOString().slice(0, 7),
  period_start: i.periodStart.toISOString(),
  period_end: i.periodEnd.toISOString(),
  paid_at: i.paidAt?.toISOString() ?? null,
  stripe_invoice_url: i.hostedUrl,
});

export const GET = withApiActor(
  async ({ req, actor, db }) => {
    const params = new URL(req.url).searchParams;
    const rawLimit = params.get("limit") ?? "100";
    if (!/^\d{1,3}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 100) throw new BillingError("VALIDATION_FAILED", "limit must be a whole number from 1 to 100", { field: "limit" });
    const page = await listInvoices({ db, teamId: actor.teamId, limit: Number(rawLimit), cursor: params.get("cursor") });
    return apiJson({ invoices: page.invoices.map(shape), has_more: page.nextCursor !== null, next_cursor: page.nextCursor });
  },
  { permission: "billing:read" },
);
