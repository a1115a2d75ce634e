// The billing events a team's webhook endpoints can receive (POST /api/v1/webhooks `events`). Client-safe: the
// settings page lists them. The first four are the seed's; the rest are what a customer of a credit platform also needs.
export const WEBHOOK_EVENT_TYPES = [
  "invoice_created",
  "invoice_paid",
  "invoice_failed",
  "budget_alert",
  "balance_low",
  "credits_expiring",
  "subscription_updated",
  "credit_line_updated",
  "payment_refunded",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  invoice_created: "An invoice or statement was issued to the team.",
  invoice_paid: "An invoice or statement was paid.",
  invoice_failed: "A payment of an invoice, statement or renewal failed.",
  budget_alert: "Spend reached a budget's alert threshold or its hard cap.",
  balance_low: "The credit balance fell below the low-balance line.",
  credits_expiring: "Granted credits will expire within seven days.",
  subscription_updated: "The plan, billing cycle or subscription status changed.",
  credit_line_updated: "A credit-line application was decided, or the line's limit or suspension changed.",
  payment_refunded: "A payment was refunded or disputed, in whole or in part.",
};

export function isWebhookEventType(s: string): s is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(s);
}

/** The Standard Webhooks job that makes one attempt of one delivery (lib/jobs/queue.ts). */
export const WEBHOOK_DELIVER_JOB = "webhook-deliver";
export type WebhookDeliverJob = { deliveryId: string; manual?: boolean };
