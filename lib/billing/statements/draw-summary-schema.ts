import { z } from "zod";
import { isoDate, money } from "../../edge/contract";

// The draw below zero as routes send it (client-safe): lib/billing/statements/get-draw-summary.ts shapes it.
export const statementSchema = z.object({
  id: z.string(),
  kind: z.enum(["OVERAGE", "CREDIT_LINE"]),
  closesAt: isoDate(),
  drawnCredits: money(),
  amountCents: money(),
  status: z.enum(["BILLING", "OPEN", "PAID", "VOID"]),
  dueAt: isoDate().nullable(),
  paidAt: isoDate().nullable(),
  hostedInvoiceUrl: z.string().nullable(),
  refundedCents: money(),
  heldCents: money(),
});

export type StatementOutput = z.output<typeof statementSchema>;

export const drawSummarySchema = z.object({
  kind: z.enum(["OVERAGE", "CREDIT_LINE"]).nullable(),
  creditLimitCredits: money(),
  overageLimitCredits: money(),
  suspended: z.boolean(),
  unbilledCredits: money(),
  unbilledCents: money(),
  nextStatementAt: isoDate(),
  open: z.array(statementSchema),
  recent: z.array(statementSchema),
});

export type DrawSummaryOutput = z.output<typeof drawSummarySchema>;
