import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

// The admin console's hand on Stripe events that could not be applied (platform admins only).

/** A kept failure's id, as the webhook keeps them (an unreadable event gets a bad_… id). */
export const failedEvent = z.object({ id: z.string().regex(/^(evt|bad)_[A-Za-z0-9_]{1,250}$/, "not a failed event's id") });

/**
 * POST /api/admin/stripe-events/:id/replay: applies a kept event once its cause is fixed. An event that still fails
 * is an outcome, not a refusal: `applied: false` with the reason (the failure is kept, with the new error).
 */
export const replayEventRoute = defineRoute({
  method: "POST",
  path: "/api/admin/stripe-events/:id/replay",
  params: failedEvent,
  output: z.object({ applied: z.boolean(), message: z.string() }),
});
