import * as z from "zod/mini";
import { defineRoute } from "@/lib/edge/contract";

/** GET /api/v3/account/balance: the team's balance in US dollars at CREDITS_PER_DOLLAR (negative while drawn below zero). */
export const balanceRoute = defineRoute({
  method: "GET",
  path: "/api/v3/account/balance",
  envelope: "seed",
  output: z.object({ balance: z.number(), currency: z.literal("USD") }),
});
