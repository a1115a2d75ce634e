import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute, money } from "@/lib/edge/contract";

/** POST /api/admin/adjustments/:id/confirm: a second, different admin confirms a pending adjustment; the credits move. */
export const confirmAdjustmentRoute = defineRoute({
  method: "POST",
  path: "/api/admin/adjustments/:id/confirm",
  params: z.object({ id: idParam }),
  output: z.object({ id: z.string(), status: z.literal("CONFIRMED"), entryId: z.string(), amount: money() }),
});
