import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute, money } from "@/lib/edge/contract";

/**
 * POST /api/admin/customers/:teamId/adjustments: add (positive) or remove (negative) credits with a reason. Below
 * ADMIN_ADJUSTMENT_SECOND_APPROVAL_CREDITS it is applied at once; at or above, it waits for a second admin. The form's
 * idempotencyKey makes a double submit one adjustment.
 */
export const adjustCreditsRoute = defineRoute({
  method: "POST",
  path: "/api/admin/customers/:teamId/adjustments",
  params: z.object({ teamId: idParam }),
  body: z.strictObject({ amount: z.union([z.string().max(40), z.number()]), reason: z.string().max(2000), idempotencyKey: z.string().max(100) }),
  output: z.object({
    outcome: z.enum(["applied", "pending"]),
    id: z.string(),
    amount: money(),
    duplicate: z.boolean(),
  }),
});
