import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/admin/coupons/:id/enable: a disabled code applies again (an expired one stays expired). */
export const enableCouponRoute = defineRoute({
  method: "POST",
  path: "/api/admin/coupons/:id/enable",
  params: z.object({ id: idParam }),
  output: z.object({ id: z.string(), code: z.string() }),
});
