import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/**
 * POST /api/teams/:team/payment-method/setup: "Add a card", a Stripe Checkout page in setup mode (201); the browser
 * goes to `url` and comes back to /buy-credit/card-saved.
 */
export const cardSetupRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/payment-method/setup",
  params: z.object({ team: z.string() }),
  // An empty JSON object: nothing the browser says chooses the card, the customer or the return URL.
  body: z.object({}).strict(),
  output: z.object({ url: z.string() }),
});
