import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";

/** POST /api/teams/:team/top-ups/quote: what a top-up would give (the coupon's effect, or COUPON_INVALID with the reason). */
export const quoteTopUpRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/top-ups/quote",
  params: z.object({ team: z.string() }),
  body: z.object({ amount: z.union([z.string().max(32), z.number()]).nullish(), coupon: z.string().max(64).nullish() }).strict(),
  output: z.object({
    quote: z.object({
      amountCents: money().nullable(),
      credits: money(),
      bonusCredits: money(),
      couponCredits: money(),
      totalCredits: money(),
      coupon: z
        .object({
          code: z.string(),
          effect: z.string(),
          description: z.string().nullable(),
          bonusPercent: z.number(),
          grantCredits: money(),
          minAmountCents: money(),
          appliesWithoutTopUp: z.boolean(),
        })
        .nullable(),
    }),
  }),
});
