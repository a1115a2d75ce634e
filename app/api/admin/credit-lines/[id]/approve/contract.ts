import { z } from "zod";
import { applicationStatusSchema } from "@/app/api/teams/[team]/credit-line/contract";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/admin/credit-lines/:id/approve: approve with a monthly limit (at or above CREDIT_LINE_SECOND_APPROVAL_CENTS it waits for a second admin). */
export const approveCreditLineRoute = defineRoute({
  method: "POST",
  path: "/api/admin/credit-lines/:id/approve",
  params: z.object({ id: idParam }),
  body: z.strictObject({ limit: z.union([z.string(), z.number()]), reason: z.string() }),
  output: z.object({ id: z.string(), status: applicationStatusSchema }),
});
