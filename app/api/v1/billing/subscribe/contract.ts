import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { seedSubscription } from "../subscription/contract";

/**
 * POST /api/v1/billing/subscribe: subscribe to a plan or change plans (BILLING+). plan: starter, pro, scale or payg
 * (enterprise and free are INVALID_PLAN); email: the billing contact (the Stripe customer's email); billing_cycle:
 * monthly (default) or annual (17% off). With no card on file: status "incomplete" and checkout_url.
 */
export const v1SubscribeRoute = defineRoute({
  method: "POST",
  path: "/api/v1/billing/subscribe",
  body: z.strictObject({
    plan: z.string({ error: 'must be a plan name like "pro"' }).max(40, "is not a plan"),
    email: z.email("must be an email address").max(254, "must be at most 254 characters"),
    billing_cycle: z.enum(["monthly", "annual"], { error: 'must be "monthly" or "annual"' }).optional(),
  }),
  output: seedSubscription,
});
