import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";
import { paymentOutput } from "../payments/payment-output";

const OUTCOMES = ["credited", "already_credited", "requires_action", "pending", "failed", "closed", "mismatch", "not_found"] as const;
/**
 * POST /api/teams/:team/purchases: Buy Credit, charging the team's saved card for a bundle or a custom amount
 * (201 when credited, else 200; 402 NO_PAYMENT_METHOD without a card). `redirectUrl` is the bank's 3-D Secure page.
 */
export const purchaseRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/purchases",
  params: z.object({ team: z.string() }),
  // Strict: the browser sends what the person chose (a bundle id or dollars as typed) and one key per attempt, never
  // credits, prices or a card.
  body: z
    .object({
      bundle: z.string().max(16).nullish(),
      amount: z.string().max(32).nullish(),
      idempotencyKey: z.string().max(100),
    })
    .strict(),
  output: z.object({
    outcome: z.enum(OUTCOMES),
    payment: paymentOutput,
    card: z.object({ label: z.string() }),
    redirectUrl: z.string().nullable(),
    balance: money(),
  }),
});
