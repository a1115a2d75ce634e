import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { decisionBody, decisionOutput, signInIdSchema } from "../../contract";

/** POST /api/admin/sign-ins/:id/approve: lets the person in, with a reason they are told. CONFLICT once decided. */
export const approveSignInRoute = defineRoute({
  method: "POST",
  path: "/api/admin/sign-ins/:id/approve",
  params: z.object({ id: signInIdSchema }),
  body: decisionBody,
  output: decisionOutput,
});
