import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute, money } from "@/lib/edge/contract";

/** POST /api/teams/:team/credit-line/:id/guarantee: a Checkout for what is left of the guarantee deposit (a spendable top-up). */
export const guaranteeCreditLineRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/credit-line/:id/guarantee",
  params: z.object({ team: z.string(), id: idParam }),
  body: z.strictObject({ ui: z.enum(["embedded", "hosted"]).default("hosted") }),
  output: z.object({
    paymentId: z.string(),
    amountCents: money(),
    checkout: z.object({ sessionId: z.string(), ui: z.enum(["embedded", "hosted"]), clientSecret: z.string().nullable(), url: z.string().nullable() }),
  }),
});
