import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { failedEvent } from "../replay/contract";

/** POST /api/admin/stripe-events/:id/dismiss: closes a kept failure without applying it. */
export const dismissEventRoute = defineRoute({
  method: "POST",
  path: "/api/admin/stripe-events/:id/dismiss",
  params: failedEvent,
  output: z.object({ message: z.string() }),
});
