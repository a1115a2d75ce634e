import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute, money } from "@/lib/edge/contract";

/** POST /api/admin/credit-lines/teams/:teamId: lower, suspend, resume or close a team's line, with a reason. The floor moves at once. */
export const manageCreditLineRoute = defineRoute({
  method: "POST",
  path: "/api/admin/credit-lines/teams/:teamId",
  params: z.object({ teamId: idParam }),
  body: z.discriminatedUnion("action", [
    z.strictObject({ action: z.literal("lower"), limit: z.union([z.string(), z.number()]), reason: z.string() }),
    z.strictObject({ action: z.enum(["suspend", "resume", "close"]), reason: z.string() }),
  ]),
  output: z.object({ teamId: z.string(), limitCents: money(), suspended: z.boolean() }),
});
