import { z } from "zod";
import { idParam } from "@/lib/auth/input-text";
import { defineRoute, money } from "@/lib/edge/contract";

/**
 * POST /api/admin/customers/:teamId/payments/:paymentId/refund: refund a payment through Stripe, in full (no amount)
 * or in part (an amount in the payment's currency, "12.50"), with a reason. The credits follow from Stripe's refund
 * webhooks. The form's idempotencyKey makes a double submit one refund.
 */
export const refundPaymentRoute = defineRoute({
  method: "POST",
  path: "/api/admin/customers/:teamId/payments/:paymentId/refund",
  params: z.object({ teamId: idParam, paymentId: idParam }),
  body: z.strictObject({ amount: z.string().max(40).nullable().optional(), reason: z.string().max(2000), idempotencyKey: z.string().max(100) }),
  output: z.object({ refundId: z.string(), amountCents: money(), currency: z.string(), status: z.string(), duplicate: z.boolean() }),
});
