import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/**
 * POST /api/credit-line/confirm-email: the company address confirms an application with the emailed link's token.
 * Public: whoever reads that mailbox need not have a Creditdesk account; the signed, single-use token is the proof.
 */
export const confirmCreditLineEmailRoute = defineRoute({
  method: "POST",
  path: "/api/credit-line/confirm-email",
  body: z.strictObject({ token: z.string().max(400) }),
  output: z.object({ confirmed: z.literal(true), companyName: z.string().nullable() }),
});
