import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { paymentOutput } from "../payments/payment-output";

/**
 * POST /api/teams/:team/top-ups: starts a top-up, a pending payment and its Stripe Checkout Session (embedded client
 * secret or hosted URL). Strict: the browser sends what the person chose, never credits, prices or a team.
 */
export const startTopUpRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/top-ups",
  params: z.object({ team: z.string() }),
  body: z
    .object({
      amount: z.union([z.string().max(32), z.number()]),
      method: z.string().max(32),
      coupon: z.string().max(64).nullish(),
      ui: z.enum(["embedded", "hosted"]).default("embedded"),
      idempotencyKey: z.string().max(100).nullish(),
    })
    .strict(),
  output: z.object({
    payment: paymentOutput,
    checkout: z.object({ sessionId: z.string(), ui: z.enum(["embedded", "hosted"]), clientSecret: z.string().nullable(), url: z.string().nullable() }),
  }),
});
