import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/credit-line/:id/resend-email: email a new company confirmation link (the old one stops working). */
export const resendCreditLineEmailRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/credit-line/:id/resend-email",
  params: z.object({ team: z.string(), id: idParam }),
  body: z.strictObject({}),
  output: z.object({ sent: z.literal(true) }),
});
