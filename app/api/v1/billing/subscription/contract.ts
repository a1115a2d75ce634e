import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

// The WAVIS subscription API in the seed's shape (billing-api-plans-budgets). Dollar prices are JSON numbers
// (monthly_price_usd: per month, the annual price over twelve when billed annually); monthly_fcu_limit is the money
// encoding (null: unlimited). A team with no subscription is on Free: plan "free", status "active", current_period_end
// the end of its Free cycle. With no card on file, subscribe answers status "incomplete" and a checkout_url (Stripe's
// hosted Checkout); the subscription is "active" once that is paid.

export const seedSubscription = z.object({
  plan: z.string(),
  status: z.enum(["active", "trial", "cancelled", "past_due", "unpaid", "incomplete"]),
  current_period_end: isoDate().nullable(),
  monthly_price_usd: z.number(),
  monthly_fcu_limit: money().nullable(),
  billing_cycle: z.enum(["monthly", "annual"]),
  annual_discount_pct: z.number(),
  checkout_url: z.string().optional(),
});

/** GET /api/v1/billing/subscription: the team's current subscription (BILLING+: billing:read). */
export const v1SubscriptionRoute = defineRoute({ method: "GET", path: "/api/v1/billing/subscription", output: seedSubscription });

/** DELETE /api/v1/billing/subscription: cancel at the end of the paid period; subscribe again to the same plan to reactivate. */
export const v1CancelSubscriptionRoute = defineRoute({
  method: "DELETE",
  path: "/api/v1/billing/subscription",
  output: z.object({ status: z.literal("cancelled") }),
});
