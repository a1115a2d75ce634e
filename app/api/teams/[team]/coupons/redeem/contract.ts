import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";

/** POST /api/teams/:team/coupons/redeem: redeems a code that grants credits without a top-up; answers the new balance. */
export const redeemCouponRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/coupons/redeem",
  params: z.object({ team: z.string() }),
  body: z.object({ code: z.string().max(64) }).strict(),
  output: z.object({ redemption: z.object({ id: z.string(), credits: money() }), balance: money() }),
});
