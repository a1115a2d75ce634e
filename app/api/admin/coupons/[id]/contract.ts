import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

const text = z.string().max(200).nullable().optional();

/** PATCH /api/admin/coupons/:id: what may change after teams saw a code (description, limits, end date; one left out stays as it is, empty means the default). */
export const updateCouponRoute = defineRoute({
  method: "PATCH",
  path: "/api/admin/coupons/:id",
  params: z.object({ id: idParam }),
  body: z.strictObject({ description: text, maxRedemptions: text, perTeamLimit: text, expiresAt: text }),
  output: z.object({ id: z.string(), code: z.string() }),
});
