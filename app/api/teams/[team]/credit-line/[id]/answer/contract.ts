import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/credit-line/:id/answer: answer a reviewer's request for more information. */
export const answerCreditLineRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/credit-line/:id/answer",
  params: z.object({ team: z.string(), id: idParam }),
  body: z.strictObject({ message: z.string() }),
  output: z.object({ status: z.literal("SUBMITTED") }),
});
