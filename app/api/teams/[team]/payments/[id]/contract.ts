import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";
import { paymentOutput } from "../payment-output";

/**
 * GET /api/teams/:team/payments/:id: one payment's status and the team's balance, polled by the return page. With
 * ?refresh=1 a pending payment is re-read from Stripe and fulfilled if paid; any other value is a plain read.
 */
export const paymentRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/payments/:id",
  params: z.object({ team: z.string(), id: z.string() }),
  query: z.object({
    refresh: z
      .string()
      .optional()
      .transform((v) => v === "1"),
  }),
  output: z.object({ payment: paymentOutput, balance: money() }),
});
