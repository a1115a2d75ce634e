import { v1CheckoutRoute } from "@/app/api/v1/billing/checkout/contract";
import { budgetRoute, setBudgetRoute } from "@/app/api/v1/billing/budget/contract";
import { v1CreditLineRoute } from "@/app/api/v1/billing/credit-line/contract";
import { v1InvoicesRoute } from "@/app/api/v1/billing/invoices/contract";
import { v1PortalRoute } from "@/app/api/v1/billing/portal/contract";
import { v1SubscribeRoute } from "@/app/api/v1/billing/subscribe/contract";
import { v1CancelSubscriptionRoute, v1SubscriptionRoute } from "@/app/api/v1/billing/subscription/contract";
import { billingUsageRoute } from "@/app/api/v1/billing/usage/contract";
import { currentKeyRoute } from "@/app/api/v1/keys/current/contract";
import { recordUsageRoute, usageBatch, usageEvent } from "@/app/api/v1/usage/contract";
import { v1CreateWebhookRoute, v1WebhooksRoute } from "@/app/api/v1/webhooks/contract";
import { v1DeleteWebhookRoute, v1UpdateWebhookRoute, v1WebhookRoute } from "@/app/api/v1/webhooks/[id]/contract";
import { v1WebhookDeliveriesRoute } from "@/app/api/v1/webhooks/[id]/deliveries/contract";
import { v1WebhookDeliveryRoute } from "@/app/api/v1/webhooks/deliveries/[id]/contract";
import { v1ResendDeliveryRoute } from "@/app/api/v1/webhooks/deliveries/[id]/resend/contract";
import { balanceRoute } from "@/app/api/v3/account/balance/contract";
import { billingsRoute } from "@/app/api/v3/account/billings/contract";
import { z } from "zod";
import type { Permission } from "../auth/permissions";
import type { RouteContract, Schema } from "./contract";
import type { ErrorCode } from "./error-record";

// The programmatic API (/api/v1, /api/v3) as the OpenAPI document (lib/edge/openapi.ts) and the reference page
// (/docs/api) describe it: each route's contract, what it is for, the key permission it needs, the refusals it can
// answer beyond every API route's own (lib/edge/openapi.ts adds those), and an example taken from the seeds.
// test/api/openapi.test.ts fails when a route.ts under app/api/v1 or app/api/v3 is built from a contract not listed here.

export type ApiRoute = {
  contract: RouteContract;
  summary: string;
  description?: string;
  /** The API key permission the route checks (lib/auth/permissions.ts). */
  permission: Permission;
  /**
   * Refusals this route can answer as an error record, beyond VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN and INTERNAL
   * (UNSUPPORTED_MEDIA_TYPE: a signed-in browser's body that is not same-origin JSON).
   */
  errors: ErrorCode[];
  /** Statuses other than 200 answered with the contract's output, not an error record. */
  outputAlsoAt?: { status: number; description: string }[];
  /** The body as documented when the contract's own cannot be described (the usage body is one schema picked at run time). */
  documentedBody?: Schema;
  example: { query?: Record<string, string>; body?: unknown; response: unknown };
};

const subscription = {
  plan: "pro",
  status: "active",
  current_period_end: "2026-05-28T12:00:00.000Z",
  monthly_price_usd: 49,
  monthly_fcu_limit: 20000000,
  billing_cycle: "monthly",
  annual_discount_pct: 17,
};

const budget = {
  monthly_cap_usd: 500,
  current_spend_usd: 84.5,
  alert_email: "ops@example.com",
  hard_cap: true,
  allow_soft_overage: false,
  alerts_sent: ["50%"],
  next_alert_threshold_pct: 80,
  month: "2026-04",
  monthly_cap_credits: 40000000,
  current_spend_credits: 6760000,
};

const webhook = {
  id: "whe_3kq9v2m7x1",
  url: "https://your-app.com/billing-events",
  description: null,
  events: ["invoice_created", "invoice_paid", "invoice_failed", "budget_alert"],
  status: "enabled",
  disabled_reason: null,
  failing_since: null,
  secret_hint: "…-...",
  created_at: "2026-04-02T09:15:00.000Z",
  updated_at: "2026-04-02T09:15:00.000Z",
};

const delivery = {
  id: "whd_8f2n4c6p0z",
  event_id: "evt_5t1w9r3y7u",
  event_type: "invoice_paid",
  status: "succeeded",
  attempts: 2,
  last_status_code: 200,
  last_latency_ms: 87,
  last_error: null,
  created_at: "2026-04-03T10:00:00.000Z",
  last_attempt_at: "2026-04-03T10:00:30.000Z",
  next_attempt_at: null,
  delivered_at: "2026-04-03T10:00:30.000Z",
};

const WEBHOOK_URL_ERRORS = ["WEBHOOK_URL_INVALID", "WEBHOOK_URL_BLOCKED", "WEBHOOK_URL_UNRESOLVABLE"] as const;

export const API_ROUTES: ApiRoute[] = [
  {
    contract: recordUsageRoute,
    summary: "Record usage: one event, or up to 1,000 in { events: [...] }",
    description:
      "Each event is charged quantity × the operation's price, once per idempotency_key. Answers one result per event, in order; 402 with the same body when every event was rejected (insufficient credits, budget hard cap, the key's spending limit).",
    permission: "usage:record",
    errors: ["UNSUPPORTED_MEDIA_TYPE"],
    outputAlsoAt: [
      {
        status: 402,
        description:
          "Every event was rejected (INSUFFICIENT_CREDITS, BUDGET_HARD_CAP_HIT, API_KEY_LIMIT_REACHED for the key's own spending limit per day, week or month, SUBSCRIPTION_UNPAID, DRAW_SUSPENDED, or NOT_FOUND for an unknown operation): the first rejection is `error`; nothing was charged. A test key (cdk_test_…) never spends below zero: past the balance it gets INSUFFICIENT_CREDITS.",
      },
    ],
    documentedBody: z.union([usageEvent, usageBatch]),
    example: {
      body: { idempotency_key: "req_7f3a9c", operation: "matmul", quantity: 3 },
      response: {
        debited: 1,
        duplicates: 0,
        rejected: 0,
        credits_debited: 120,
        results: [
          {
            idempotency_key: "req_7f3a9c",
            status: "debited",
            operation: "matmul",
            quantity: 3,
            credits: 120,
            entry_id: "cm9x2k1ab0001qz8h3f4d5e6f",
            balance_after: 7999880,
          },
        ],
      },
    },
  },
  {
    contract: currentKeyRoute,
    summary: "The API key making the request: its id, name, role, team and whether it is a test key",
    description:
      "Answered from the key check alone (no other query), so a program can test its key cheaply; a revoked key is refused with 401 within a second on every instance. A signed-in member naming the team with ?team= has no key: 404.",
    permission: "team:read",
    errors: ["NOT_FOUND"],
    example: {
      response: { id: "key_cm9x2k1ab0001qz8h3f4d5e6f", name: "Production worker", role: "BILLING", team_id: "team_cm9x2k0zz0000qz8h1a2b3c4d", test: false },
    },
  },
  {
    contract: v1SubscribeRoute,
    summary: "Subscribe to a plan or change plans",
    description: "plan: starter, pro, scale or payg. With no card on file the answer is status incomplete with a checkout_url.",
    permission: "billing:write",
    errors: ["INVALID_PLAN", "NO_PAYMENT_METHOD", "CONFLICT", "STRIPE_UNAVAILABLE", "UNSUPPORTED_MEDIA_TYPE"],
    example: { body: { plan: "pro", email: "billing@example.com", billing_cycle: "monthly" }, response: subscription },
  },
  {
    contract: v1SubscriptionRoute,
    summary: "Get the current subscription",
    permission: "billing:read",
    errors: [],
    example: { response: subscription },
  },
  {
    contract: v1CancelSubscriptionRoute,
    summary: "Cancel the subscription at the end of the paid period",
    permission: "billing:write",
    errors: ["NOT_FOUND", "STRIPE_UNAVAILABLE"],
    example: { response: { status: "cancelled" } },
  },
  {
    contract: v1InvoicesRoute,
    summary: "List invoices, newest first",
    permission: "billing:read",
    errors: [],
    example: {
      query: { limit: "1" },
      response: {
        invoices: [
          {
            invoice_id: "in_a1b2c3",
            number: "CD-0001",
            source: "stripe",
            amount_usd_cents: 4900,
            amount_due_usd_cents: 4900,
            amount_paid_usd_cents: 4900,
            currency: "usd",
            status: "paid",
            period: "2026-04",
            period_start: "2026-04-01T00:00:00.000Z",
            period_end: "2026-05-01T00:00:00.000Z",
            paid_at: "2026-04-01T08:00:00.000Z",
            stripe_invoice_url: "https://invoice.stripe.com/i/acct_1/test_a1b2c3",
            invoice_pdf_url: "https://pay.stripe.com/invoice/acct_1/test_a1b2c3/pdf",
          },
        ],
        has_more: true,
        next_cursor: "in_a1b2c3",
      },
    },
  },
  {
    contract: setBudgetRoute,
    summary: "Set the monthly budget cap",
    permission: "billing:write",
    errors: ["UNSUPPORTED_MEDIA_TYPE"],
    example: { body: { monthly_cap_usd: 500, alert_email: "ops@example.com", hard_cap: true, allow_soft_overage: false }, response: budget },
  },
  {
    contract: budgetRoute,
    summary: "Get the budget settings and this month's spend",
    permission: "billing:read",
    errors: [],
    example: { response: budget },
  },
  {
    contract: billingUsageRoute,
    summary: "This cycle's usage by operation, with overage",
    permission: "team:read",
    errors: [],
    example: {
      response: {
        period_start: "2026-04-01T00:00:00.000Z",
        period_end: "2026-05-01T00:00:00.000Z",
        monthly_fcu_limit: 20000000,
        monthly_fcu_used: 14300000,
        operations_total: 80850,
        by_operation: { add: 50000, multiply: 30000, matmul: 800, bootstrap: 50 },
        credits_by_operation: { add: 5000000, multiply: 6000000, matmul: 3200000, bootstrap: 100000 },
        estimated_cost_usd: 0,
        overage_fcu: 0,
        overage_cost_usd: 0,
      },
    },
  },
  {
    contract: v1PortalRoute,
    summary: "A one-time Stripe customer portal URL (valid 5 minutes)",
    permission: "billing:write",
    errors: ["RETURN_URL_NOT_ALLOWED", "BILLING_PORTAL_DISABLED", "NOT_FOUND", "STRIPE_UNAVAILABLE", "UNSUPPORTED_MEDIA_TYPE"],
    example: { body: { return_url: "https://dashboard.example.com/billing" }, response: { url: "https://billing.stripe.com/p/session/test_a1b2c3" } },
  },
  {
    contract: v1CheckoutRoute,
    summary: "An embedded Stripe Checkout Session for a first subscription",
    permission: "billing:write",
    errors: ["INVALID_PLAN", "CONFLICT", "STRIPE_UNAVAILABLE", "UNSUPPORTED_MEDIA_TYPE"],
    example: { body: { plan: "pro", billing_cycle: "annual" }, response: { session_id: "cs_test_a1b2c3", client_secret: "cs_test_a1b2c3_secret_d4e5f6" } },
  },
  {
    contract: v1CreditLineRoute,
    summary: "The team's credit line",
    permission: "billing:read",
    errors: [],
    example: {
      response: {
        status: "active",
        limit_cents: 500000,
        drawn_cents: 120000,
        available_cents: 380000,
        next_statement_at: "2026-05-01T00:00:00.000Z",
        application_status: "APPROVED",
      },
    },
  },
  {
    contract: v1CreateWebhookRoute,
    summary: "Subscribe to billing webhooks",
    description:
      "url: an http(s) URL that does not point inside a private network (loopback, private, link-local and metadata addresses are refused). events: one or more of invoice_created, invoice_paid, invoice_failed, budget_alert, balance_low, credits_expiring, subscription_updated, credit_line_updated, payment_refunded. secret: 32 to 256 printable characters without spaces, used to sign every delivery as Standard Webhooks describes (webhook-id, webhook-timestamp, webhook-signature); it is never answered back. At most 20 endpoints per team. Answers 201 with the endpoint.",
    permission: "billing:write",
    errors: [...WEBHOOK_URL_ERRORS, "CONFLICT", "UNSUPPORTED_MEDIA_TYPE"],
    outputAlsoAt: [{ status: 201, description: "Created: the new endpoint (its secret only as secret_hint)." }],
    example: {
      body: {
        url: "https://your-app.com/billing-events",
        events: ["invoice_created", "invoice_paid", "invoice_failed", "budget_alert"],
        secret: "min-32-char-shared-secret-...-...",
      },
      response: webhook,
    },
  },
  {
    contract: v1WebhooksRoute,
    summary: "List the team's webhook endpoints",
    permission: "billing:read",
    errors: [],
    example: { response: { webhooks: [webhook] } },
  },
  {
    contract: v1WebhookRoute,
    summary: "Get one webhook endpoint",
    permission: "billing:read",
    errors: ["NOT_FOUND"],
    example: { response: webhook },
  },
  {
    contract: v1UpdateWebhookRoute,
    summary: "Change a webhook endpoint: url, events, secret, description, or enabled",
    description:
      "Omitted fields stay as they are. enabled: false turns the endpoint off; enabled: true turns it back on, also after it was disabled for failing.",
    permission: "billing:write",
    errors: [...WEBHOOK_URL_ERRORS, "NOT_FOUND", "UNSUPPORTED_MEDIA_TYPE"],
    example: { body: { enabled: false }, response: { ...webhook, status: "disabled", disabled_reason: "owner" } },
  },
  {
    contract: v1DeleteWebhookRoute,
    summary: "Delete a webhook endpoint and its delivery history",
    permission: "billing:write",
    errors: ["NOT_FOUND", "UNSUPPORTED_MEDIA_TYPE"],
    example: { response: webhook },
  },
  {
    contract: v1WebhookDeliveriesRoute,
    summary: "An endpoint's deliveries, newest first",
    description: "limit 1 to 100 (default 20); pass next_cursor as cursor for the next page.",
    permission: "billing:read",
    errors: ["NOT_FOUND"],
    example: { query: { limit: "1" }, response: { deliveries: [delivery], has_more: true, next_cursor: delivery.id } },
  },
  {
    contract: v1WebhookDeliveryRoute,
    summary: "One delivery with every attempt",
    permission: "billing:read",
    errors: ["NOT_FOUND"],
    example: {
      response: {
        delivery: { ...delivery, endpoint_id: webhook.id },
        attempts: [
          { number: 1, status_code: 503, latency_ms: 412, error: "HTTP 503", manual: false, attempted_at: "2026-04-03T10:00:00.000Z" },
          { number: 2, status_code: 200, latency_ms: 87, error: null, manual: false, attempted_at: "2026-04-03T10:00:30.000Z" },
        ],
      },
    },
  },
  {
    contract: v1ResendDeliveryRoute,
    summary: "Resend a delivery now",
    description: "Queues one more attempt, whatever the delivery's status; the event keeps its id (webhook-id), so a receiver can tell a repeat. Answers 202.",
    permission: "billing:write",
    errors: ["NOT_FOUND", "SERVICE_UNAVAILABLE", "UNSUPPORTED_MEDIA_TYPE"],
    outputAlsoAt: [{ status: 202, description: "Accepted: the attempt is queued." }],
    example: { body: {}, response: { delivery_id: delivery.id, status: "queued" } },
  },
  {
    contract: billingsRoute,
    summary: "Billing history: top-ups, usage, grants, refunds and more, newest first",
    description:
      "Types: topup, usage, grant, refund, dispute, expiry, adjustment, statement. page from 1 (default 1), page_size 1 to 100 (default 20), start_date and end_date as YYYY-MM-DD, inclusive, UTC. Each item also says `test`: true for usage through a test key (cdk_test_…), which spends the balance but is never charged.",
    permission: "billing:read",
    errors: [],
    example: {
      query: { page: "1", page_size: "20" },
      response: {
        items: [
          {
            id: "txn_abc123",
            type: "topup",
            amount: 100,
            currency: "USD",
            status: "completed",
            payment_method: "stripe",
            created_at: "2024-01-15T10:30:00.000Z",
            test: false,
          },
          {
            id: "txn_def456",
            type: "usage",
            amount: -15.5,
            currency: "USD",
            status: "completed",
            model: "wavespeed-ai/flux-dev",
            created_at: "2024-01-15T11:00:00.000Z",
            test: false,
          },
        ],
        pagination: { page: 1, page_size: 20, total: 150 },
      },
    },
  },
  {
    contract: balanceRoute,
    summary: "The team's balance in US dollars",
    permission: "billing:read",
    errors: [],
    example: { response: { balance: 84.5, currency: "USD" } },
  },
];

/** Route files under app/api/v1 and app/api/v3 that are not built from a contract: Stripe's signed webhook is Stripe's door. */
export const UNDOCUMENTED_ROUTE_FILES: Record<string, string> = {
  "app/api/v1/billing/stripe_webhook/route.ts": "Stripe's signed webhook: Stripe calls it, not API clients.",
};
