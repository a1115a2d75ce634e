import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/**
 * POST /api/v1/billing/checkout: an embedded Checkout Session in subscription mode (use client_secret with Stripe.js's
 * embedded checkout). For a team with no paid subscription; one that has one changes plans with /billing/subscribe.
 */
export const v1CheckoutRoute = defineRoute({
  method: "POST",
  path: "/api/v1/billing/checkout",
  body: z.strictObject({
    plan: z.string({ error: 'must be a plan name like "pro"' }).max(40, "is not a plan"),
    billing_cycle: z.enum(["monthly", "annual"], { error: 'must be "monthly" or "annual"' }).optional(),
  }),
  output: z.object({ session_id: z.string(), client_secret: z.string() }),
});
