import { BillingError } from "../errors";

const messages = {
  INSUFFICIENT_CREDITS: "Not enough credits: this would take the balance below what the team may spend. Top up or ask for a credit line.",
  BUDGET_HARD_CAP_HIT: "The monthly budget cap is reached; spending is blocked until the cap is raised or the month ends (UTC).",
  API_KEY_LIMIT_REACHED:
    "This API key's spending limit for the period is reached; usage through it is refused until the period ends (UTC) or the limit is raised.",
  SUBSCRIPTION_UNPAID: "The team's subscription is unpaid: its renewal failed and the grace period is over. Usage resumes once the open invoice is paid.",
  DRAW_SUSPENDED:
    "Spending below zero is suspended: a statement is unpaid past its due date (or a platform admin suspended the line). Pay the open statement, or top up.",
  NOT_FOUND: "That team does not exist.",
} as const;

/** The error a rejected debit becomes. */
export function debitRejection(code: keyof typeof messages): BillingError {
  return new BillingError(code, messages[code]);
}
