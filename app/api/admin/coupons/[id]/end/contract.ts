import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/admin/coupons/:id/end: the code expires now (ending twice is fine). */
export const endCouponRoute = defineRoute({
  method: "POST",
  path: "/api/admin/coupons/:id/end",
  params: z.object({ id: idParam }),
  output: z.object({ id: z.string(), code: z.string() }),
});
