import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

// The admin console's coupon changes (platform admins only).

const text = z.string().nullable().optional();

/** POST /api/admin/coupons: a new code, its fields as typed in the form (empty means the default); the core checks them. */
export const createCouponRoute = defineRoute({
  method: "POST",
  path: "/api/admin/coupons",
  body: z.strictObject({
    code: z.string(),
    description: text,
    grantCredits: text,
    bonusPercent: text,
    minAmount: text,
    maxRedemptions: text,
    perTeamLimit: text,
    expiresAt: text,
  }),
  output: z.object({ id: z.string(), code: z.string() }),
});
