import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/admin/adjustments/:id/decline: a pending adjustment is dropped with a reason; no credits move. */
export const declineAdjustmentRoute = defineRoute({
  method: "POST",
  path: "/api/admin/adjustments/:id/decline",
  params: z.object({ id: idParam }),
  body: z.strictObject({ reason: z.string().max(2000) }),
  output: z.object({ id: z.string(), status: z.literal("DECLINED") }),
});
