import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

/** GET /api/teams/:team/balance: the team's balance and credit line right now. */
export const balanceRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/balance",
  params: z.object({ team: z.string() }),
  output: z.object({ team: z.string(), balance: money(), credit_limit: money(), as_of: isoDate() }),
});
