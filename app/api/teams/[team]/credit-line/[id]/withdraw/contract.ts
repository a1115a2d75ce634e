import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/credit-line/:id/withdraw: withdraw an application under way (the reason is optional). */
export const withdrawCreditLineRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/credit-line/:id/withdraw",
  params: z.object({ team: z.string(), id: idParam }),
  body: z.strictObject({ reason: z.string().nullish() }),
  output: z.object({ status: z.literal("WITHDRAWN") }),
});
