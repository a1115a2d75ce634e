import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/admin/coupons/:id/disable: the code stops applying from now on (disabling twice is fine). */
export const disableCouponRoute = defineRoute({
  method: "POST",
  path: "/api/admin/coupons/:id/disable",
  params: z.object({
    id: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9_-]+$/, "is not an id"),
  }),
  output: z.object({ id: z.string(), code: z.string() }),
});
