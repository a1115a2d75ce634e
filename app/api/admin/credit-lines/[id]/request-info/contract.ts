import { z } from "zod";
import { applicationStatusSchema } from "@/app/api/teams/[team]/credit-line/contract";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/admin/credit-lines/:id/request-info: ask the applicant for more (the reason is the question). */
export const requestInfoCreditLineRoute = defineRoute({
  method: "POST",
  path: "/api/admin/credit-lines/:id/request-info",
  params: z.object({ id: idParam }),
  body: z.strictObject({ reason: z.string() }),
  output: z.object({ id: z.string(), status: applicationStatusSchema }),
});
