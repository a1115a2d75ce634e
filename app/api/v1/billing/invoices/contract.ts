import { z } from "zod";
import { defineRoute, money, pageLimit } from "@/lib/edge/contract";

/**
 * GET /api/v1/billing/invoices: the team's invoices in the seed's shape, newest first: subscription invoices copied
 * from Stripe (invoice_id is Stripe's in_…) and invoices Creditdesk generated for top-ups (its own inv_… id).
 * ?limit=1..100 (default 100) and ?cursor=<next_cursor> page through; amounts are integer cents: amount_usd_cents is the
 * invoice's total, amount_due/amount_paid what Stripe asks and got (a generated invoice is for a paid payment: all paid).
 * status is paid, open, void or uncollectible (drafts are not listed); stripe_invoice_url is Stripe's hosted page and
 * invoice_pdf_url its PDF, both null for generated invoices (their PDF is on the Invoices page).
 */
export const v1InvoicesRoute = defineRoute({
  method: "GET",
  path: "/api/v1/billing/invoices",
  query: z.object({
    limit: pageLimit(100, 100),
    cursor: z.string().optional(),
  }),
  output: z.object({
    invoices: z.array(
      z.object({
        invoice_id: z.string(),
        number: z.string(),
        source: z.enum(["stripe", "creditdesk"]),
        amount_usd_cents: money(),
        amount_due_usd_cents: money(),
        amount_paid_usd_cents: money(),
        currency: z.string(),
        status: z.enum(["open", "paid", "void", "uncollectible"]),
        period: z.string(),
        period_start: z.string(),
        period_end: z.string(),
        paid_at: z.string().nullable(),
        stripe_invoice_url: z.string().nullable(),
        invoice_pdf_url: z.string().nullable(),
      }),
    ),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  }),
});
