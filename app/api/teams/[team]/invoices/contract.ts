import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";
import { billingDetailsSchema } from "../billing-details/contract";

const text = z.string().nullable();

/** An invoice as the dashboard's routes answer it (lib/billing/invoices/invoice-view). */
export const invoiceSchema = z.object({
  id: z.string(),
  number: z.string(),
  source: z.enum(["stripe", "creditdesk"]),
  status: z.enum(["draft", "open", "paid", "void", "uncollectible"]),
  amountCents: money(),
  amountDueCents: money().nullable(),
  amountPaidCents: money().nullable(),
  currency: z.string(),
  periodStart: isoDate(),
  periodEnd: isoDate(),
  paidAt: isoDate().nullable(),
  createdAt: isoDate(),
  hostedUrl: text,
  pdfUrl: text,
  paymentId: text,
  stripeInvoiceId: text,
  lines: z.array(z.object({ description: z.string(), quantity: z.number(), amountCents: money() })),
  billedTo: billingDetailsSchema.omit({ updatedAt: true }).extend({ teamName: z.string() }).nullable(),
  credits: z.object({ bought: money(), bonus: money(), coupon: money(), total: money() }).nullable(),
});

/** GET /api/teams/:team/invoices?cursor=: a page of the team's invoices, newest first (billing roles). */
export const invoicesRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/invoices",
  params: z.object({ team: z.string() }),
  query: z.object({ cursor: z.string().optional() }),
  output: z.object({ invoices: z.array(invoiceSchema), nextCursor: z.string().nullable() }),
});

/** POST /api/teams/:team/invoices: "Generate invoice" for a paid payment; a repeat answers the same invoice (created: false, 200). */
export const generateInvoiceRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/invoices",
  params: z.object({ team: z.string() }),
  body: z
    .object({
      paymentId: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[A-Za-z0-9_-]+$/, "is not an id"),
    })
    .strict(),
  output: z.object({ invoice: invoiceSchema, created: z.boolean() }),
});
