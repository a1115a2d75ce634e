import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { resendAnswer } from "../../../contract";

/** POST /api/v1/webhooks/deliveries/:id/resend: one more attempt of a delivery now (202: queued), same event id. */
export const v1ResendDeliveryRoute = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/deliveries/:id/resend",
  params: z.object({ id: z.string().max(100) }),
  output: resendAnswer,
});
