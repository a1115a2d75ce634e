import { z } from "zod";
import type { PaymentView, PaymentViewStatus } from "@/lib/billing/payments/payment-view";
import { isoDate, money } from "@/lib/edge/contract";

// A payment on the wire, for every route that answers one (top-ups, their cancel, payment status, purchases):
// money as the money() codec, createdAt as ISO 8601. Client-safe: the browser decodes with it too.

const STATUSES: { [S in PaymentViewStatus]: S } = {
  pending: "pending",
  succeeded: "succeeded",
  failed: "failed",
  expired: "expired",
  canceled: "canceled",
  refunded: "refunded",
  partially_refunded: "partially_refunded",
  disputed: "disputed",
};

export const paymentOutput = z.object({
  id: z.string(),
  createdAt: isoDate(),
  method: z.string(),
  methodLabel: z.string(),
  kindLabel: z.string(),
  amountCents: money(),
  currency: z.string(),
  credits: money(),
  bonusCredits: money(),
  couponCredits: money(),
  totalCredits: money(),
  status: z.enum(STATUSES),
  failureMessage: z.string().nullable(),
  refundedCents: money(),
}) satisfies z.ZodType<PaymentView>;
