import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { decisionBody, decisionOutput, signInIdSchema } from "../../contract";

/** POST /api/admin/sign-ins/:id/reject: turns the person away, with a reason they are told. CONFLICT once decided. */
export const rejectSignInRoute = defineRoute({
  method: "POST",
  path: "/api/admin/sign-ins/:id/reject",
  params: z.object({ id: signInIdSchema }),
  body: decisionBody,
  output: decisionOutput,
});
