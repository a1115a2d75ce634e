import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/**
 * POST /api/teams/:team/subscription/portal: a Stripe customer portal session that returns to the Subscription page.
 * BILLING_PORTAL_DISABLED (403) when the team's plan has the portal disabled.
 */
export const billingPortalRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/subscription/portal",
  params: z.object({ team: z.string() }),
  output: z.object({ url: z.string() }),
});
