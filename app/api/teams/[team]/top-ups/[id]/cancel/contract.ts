import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { paymentOutput } from "../../../payments/payment-output";

/**
 * POST /api/teams/:team/top-ups/:id/cancel: the person's explicit "Cancel this checkout". The session is expired at
 * Stripe and the coupon given back; if Stripe says it was paid meanwhile, it is fulfilled instead, and the answer says
 * so. Never done by a GET.
 */
export const cancelTopUpRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/top-ups/:id/cancel",
  params: z.object({ team: z.string(), id: z.string() }),
  body: z.object({}).strict(),
  output: z.object({ payment: paymentOutput }),
});
