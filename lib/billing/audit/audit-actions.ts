// The audit log's kinds of change, for its filter: each group names the action prefixes it covers. Actions are
// "<area>.<verb>" strings written by the billing core (and by team administration: member.*, invitation.*, team.*).

export const AUDIT_GROUPS = [
  { id: "members", label: "Members and invitations", prefixes: ["member.", "invitation.", "team."] },
  { id: "api_keys", label: "API keys", prefixes: ["api_key."] },
  { id: "budget", label: "Budget", prefixes: ["budget."] },
  { id: "auto_top_up", label: "Auto top-up", prefixes: ["auto_top_up."] },
  { id: "plan", label: "Plan and subscription", prefixes: ["subscription.", "plan_request."] },
  { id: "payments", label: "Payments and refunds", prefixes: ["payment.", "invoice.", "statement."] },
  { id: "adjustments", label: "Credit adjustments", prefixes: ["credits."] },
  { id: "credit_line", label: "Credit line", prefixes: ["credit_line."] },
  { id: "billing_details", label: "Billing details", prefixes: ["billing_details."] },
  { id: "coupons", label: "Coupons", prefixes: ["coupon."] },
] as const;

export type AuditGroupId = (typeof AUDIT_GROUPS)[number]["id"];

/** Actions with no person or key behind them that come from Stripe's news (webhooks, or reading Stripe back). */
const FROM_STRIPE = ["payment.", "subscription.", "statement."];

/** Who to name when a row has no user or key: Stripe for what Stripe reported, else the system (jobs, sweeps). */
export function unattributedActor(action: string): "stripe" | "system" {
  return FROM_STRIPE.some((p) => action.startsWith(p)) ? "stripe" : "system";
}
