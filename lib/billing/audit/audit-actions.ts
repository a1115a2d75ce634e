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
  { id: "webhooks", label: "Webhooks", prefixes: ["webhook_endpoint."] },
] as const;

export type AuditGroupId = (typeof AUDIT_GROUPS)[number]["id"];

/** Every action an audit writer records (test/audit/audit-actions.test.ts holds the writers to it): each has a sentence. */
export const AUDIT_ACTIONS = [
  "api_key.created",
  "api_key.limit_changed",
  "api_key.revoked",
  "auto_top_up.disabled",
  "auto_top_up.updated",
  "billing_details.updated",
  "budget.removed",
  "budget.set",
  "coupon.created",
  "coupon.disabled",
  "coupon.enabled",
  "coupon.ended",
  "coupon.updated",
  "credit_line.answered",
  "credit_line.approval_confirmed",
  "credit_line.approved",
  "credit_line.approved_first",
  "credit_line.closed",
  "credit_line.draft_saved",
  "credit_line.email_confirmed",
  "credit_line.email_resent",
  "credit_line.guarantee_checkout_started",
  "credit_line.info_requested",
  "credit_line.limit_set",
  "credit_line.lowered",
  "credit_line.rejected",
  "credit_line.resumed",
  "credit_line.submitted",
  "credit_line.suspended",
  "credit_line.withdrawn",
  "credits.adjusted",
  "credits.adjustment_confirmed",
  "credits.adjustment_declined",
  "credits.adjustment_requested",
  "invitation.accepted",
  "invitation.resent",
  "invitation.revoked",
  "invoice.generated",
  "member.invited",
  "member.left",
  "member.removed",
  "member.role_changed",
  "payment.dispute_closed",
  "payment.disputed",
  "payment.late_success",
  "payment.mismatch",
  "payment.refund_failed",
  "payment.refunded",
  "payment.refunded_by_admin",
  "payment.succeeded",
  "plan_request.created",
  "plan_request.custom_plan",
  "plan_request.declined",
  "sign_in.approved",
  "sign_in.rejected",
  "statement.dispute",
  "statement.dispute_closed",
  "statement.refund",
  "statement.refund_failed",
  "stripe_event.dismissed",
  "stripe_event.replayed",
  "subscription.changed",
  "team.created",
  "team.ownership_transferred",
  "webhook_endpoint.created",
  "webhook_endpoint.deleted",
  "webhook_endpoint.disabled_failing",
  "webhook_endpoint.updated",
] as const;

/** Actions with no person or key behind them that come from Stripe's news (webhooks, or reading Stripe back). */
const FROM_STRIPE = ["payment.", "subscription.", "statement."];

/** Who to name when a row has no user or key: Stripe for what Stripe reported, else the system (jobs, sweeps). */
export function unattributedActor(action: string): "stripe" | "system" {
  return FROM_STRIPE.some((p) => action.startsWith(p)) ? "stripe" : "system";
}
