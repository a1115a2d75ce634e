import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

const id = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_-]+$/, "is not an id");

/** POST /api/admin/plan-requests/:id/decline: turns the request down with a reason the team sees. */
export const declinePlanRequestRoute = defineRoute({
  method: "POST",
  path: "/api/admin/plan-requests/:id/decline",
  params: z.object({ id }),
  body: z.strictObject({ reason: z.string() }),
  output: z.object({ id: z.string(), status: z.literal("DECLINED") }),
});
