import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";
import { drawSummarySchema } from "@/lib/billing/statements/draw-summary-schema";

// The Subscription page's routes. Any member may read the view (team:read: read-only, canManage false); the card and the
// next invoice are null without billing:read. Changes and previews need billing:write. Money is the money encoding (cents,
// credits), moments ISO strings. The team's plan changes only when Stripe says the subscription is active: an answer's
// status is the state copied from Stripe (webhooks, or the subscription read back right after a direct change).

export const billingCycles = z.enum(["monthly", "annual"]);
export const seedStatuses = z.enum(["active", "trial", "cancelled", "past_due", "unpaid"]);

export const planOffer = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["free", "payg", "paid", "enterprise"]),
  monthlyPriceCents: money(),
  /** The yearly total (17% off twelve months). */
  annualPriceCents: money(),
  /** The annual price per month, rounded to the cent ($7.47, $40.67, $165.17). */
  annualPerMonthCents: money(),
  annualSavingPct: z.number(),
  /** null: unlimited (metered, or per contract). */
  monthlyCredits: money().nullable(),
  features: z.array(z.string()),
});

export const subscriptionView = z.object({
  plan: z.object({ id: z.string(), name: z.string(), monthlyCredits: money().nullable() }),
  /** null: on Free with no subscription (or it is over). "cancelled": ends with the paid period (reactivate before). */
  status: seedStatuses.nullable(),
  billingCycle: billingCycles.nullable(),
  periodEnd: isoDate().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  graceEndsAt: isoDate().nullable(),
  usageRefused: z.boolean(),
  planCredits: z.object({ granted: money(), remaining: money() }),
  cycleStart: isoDate(),
  cycleEnd: isoDate(),
  paymentMethod: z.object({ brand: z.string(), last4: z.string(), expMonth: z.number(), expYear: z.number() }).nullable(),
  /** Stripe's upcoming-invoice preview; null with no subscription, when it ends, without billing:read, or with no Stripe. */
  nextInvoice: z.object({ amountCents: money(), date: isoDate() }).nullable(),
  /** False when the team's plan has the Stripe customer portal disabled (an Enterprise managed plan). */
  portalEnabled: z.boolean(),
  /** Overage (or a credit line) drawn below zero, to be billed when the cycle closes, and unpaid statements; null without billing:read. */
  draw: drawSummarySchema.nullable(),
  /** The actor may change the plan (billing:write); else the page is read-only. */
  canManage: z.boolean(),
  plans: z.array(planOffer),
});

/** GET /api/teams/:team/subscription: everything the Subscription page shows. */
export const subscriptionRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/subscription",
  params: z.object({ team: z.string() }),
  output: subscriptionView,
});

export const checkoutOutput = z.object({ sessionId: z.string(), clientSecret: z.string().nullable(), url: z.string().nullable() });

/**
 * POST /api/teams/:team/subscription: subscribe, change plan or cycle, reactivate, or go to Free.
 * - With a saved card the subscription is created or changed at once ("active"); without one, a Checkout Session in
 *   subscription mode ("checkout"): embedded (clientSecret) unless `ui: "hosted"` (url), for when Stripe.js cannot load.
 * - `prorationDate` (from the preview) makes the charge exactly the previewed amount.
 * - Free cancels a paid subscription at period end; Enterprise is INVALID_PLAN (use the request form).
 */
export const subscribeRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/subscription",
  params: z.object({ team: z.string() }),
  body: z.strictObject({
    plan: z.string().max(40),
    billingCycle: billingCycles,
    idempotencyKey: z
      .string()
      .min(8, "must be a unique key such as a UUID")
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/, "must be a unique key such as a UUID"),
    prorationDate: z.number().int().positive().optional(),
    ui: z.enum(["embedded", "hosted"]).default("embedded"),
  }),
  output: z.object({
    outcome: z.enum(["active", "checkout", "unchanged"]),
    status: seedStatuses.nullable(),
    checkout: checkoutOutput.nullable(),
  }),
});

/** DELETE /api/teams/:team/subscription: cancel at period end (service continues; reactivate by subscribing again). */
export const cancelSubscriptionRoute = defineRoute({
  method: "DELETE",
  path: "/api/teams/:team/subscription",
  params: z.object({ team: z.string() }),
  output: z.object({ status: seedStatuses.nullable(), periodEnd: isoDate().nullable() }),
});
