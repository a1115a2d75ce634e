import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/**
 * POST /api/v1/billing/portal: a one-time Stripe customer portal URL (good for 5 minutes). return_url must be the app's
 * own origin or match BILLING_PORTAL_RETURN_URLS (RETURN_URL_NOT_ALLOWED); BILLING_PORTAL_DISABLED for a managed plan.
 */
export const v1PortalRoute = defineRoute({
  method: "POST",
  path: "/api/v1/billing/portal",
  body: z.strictObject({ return_url: z.string({ error: "must be a URL" }).max(2000, "must be at most 2000 characters") }),
  output: z.object({ url: z.string() }),
});
