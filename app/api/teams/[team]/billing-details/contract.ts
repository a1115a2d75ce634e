import { z } from "zod";
import { defineRoute, isoDate } from "@/lib/edge/contract";

const text = z.string().nullable();

/** The billing details invoices print (lib/billing/billing-details). */
export const billingDetailsSchema = z.object({
  companyName: text,
  addressLine1: text,
  addressLine2: text,
  city: text,
  region: text,
  postalCode: text,
  country: text,
  taxId: text,
  billingEmail: text,
  updatedAt: isoDate().nullable(),
});

/** GET /api/teams/:team/billing-details (billing roles; a member gets 403). */
export const billingDetailsRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/billing-details",
  params: z.object({ team: z.string() }),
  output: billingDetailsSchema,
});

const field = z.string().max(1000).nullish();

/** PUT /api/teams/:team/billing-details: replaces them (the core trims and checks each field and names the one it refuses). */
export const saveBillingDetailsRoute = defineRoute({
  method: "PUT",
  path: "/api/teams/:team/billing-details",
  params: z.object({ team: z.string() }),
  body: z
    .object({
      companyName: field,
      addressLine1: field,
      addressLine2: field,
      city: field,
      region: field,
      postalCode: field,
      country: field,
      taxId: field,
      billingEmail: field,
    })
    .strict(),
  output: billingDetailsSchema,
});
