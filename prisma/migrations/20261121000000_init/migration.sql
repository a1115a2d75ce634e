-- Prefixed, time-sortable ids: "<prefix>_" + 12 hex digits of epoch milliseconds + 12 random hex digits.
CREATE FUNCTION cd_id(prefix text) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
         || substr(md5(random()::text || clock_timestamp()::text), 1, 12)
$$;

CREATE TYPE "TeamRole" AS ENUM ('OWNER', 'ADMIN', 'BILLING', 'MEMBER');

CREATE TYPE "LedgerKind" AS ENUM ('TOPUP', 'PURCHASE', 'AUTO_TOPUP', 'USAGE', 'PLAN_GRANT', 'TRIAL_GRANT', 'COUPON', 'PROMO_BONUS', 'REFUND', 'DISPUTE', 'DISPUTE_REVERSAL', 'EXPIRY', 'ADJUSTMENT', 'CREDIT_LINE_STATEMENT');

CREATE TYPE "CreditSource" AS ENUM ('TOPUP', 'PURCHASE', 'AUTO_TOPUP', 'PLAN', 'TRIAL', 'COUPON', 'PROMO_BONUS', 'ADJUSTMENT', 'DISPUTE_REVERSAL');

CREATE TYPE "PaymentKind" AS ENUM ('TOPUP', 'PURCHASE', 'AUTO_TOPUP');

CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELED', 'REFUNDED', 'PARTIALLY_REFUNDED', 'DISPUTED');

CREATE TYPE "RedemptionStatus" AS ENUM ('RESERVED', 'APPLIED', 'RELEASED');

CREATE TYPE "BillingCycle" AS ENUM ('MONTHLY', 'ANNUAL');

CREATE TYPE "SubscriptionStatus" AS ENUM ('ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELED', 'UNPAID', 'INCOMPLETE');

CREATE TYPE "InvoiceSource" AS ENUM ('STRIPE', 'CREDITDESK');

CREATE TYPE "InvoiceStatus" AS ENUM ('DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE');

CREATE TYPE "CreditLineKind" AS ENUM ('NEW', 'INCREASE');

CREATE TYPE "ApplicantType" AS ENUM ('ENTERPRISE', 'INDIVIDUAL_WITH_PRODUCT', 'INDIVIDUAL_WITHOUT_PRODUCT');

CREATE TYPE "ApplicationStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

CREATE TYPE "ApiKeyRole" AS ENUM ('READ_ONLY', 'BILLING');

CREATE TABLE "users" (
    "id" TEXT NOT NULL DEFAULT cd_id('usr'::text),
    "name" TEXT,
    "email" TEXT,
    "email_verified" TIMESTAMPTZ(3),
    "image" TEXT,
    "is_platform_admin" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "accounts" (
    "id" TEXT NOT NULL DEFAULT cd_id('acc'::text),
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sessions" (
    "id" TEXT NOT NULL DEFAULT cd_id('ses'::text),
    "session_token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "verification_tokens_pkey" PRIMARY KEY ("identifier","token")
);

CREATE TABLE "teams" (
    "id" TEXT NOT NULL DEFAULT cd_id('team'::text),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "personal_owner_id" TEXT,
    "stripe_customer_id" TEXT,
    "balance" BIGINT NOT NULL DEFAULT '0',
    "credit_limit_cents" BIGINT NOT NULL DEFAULT '0',
    "credit_limit_credits" BIGINT NOT NULL DEFAULT '0',
    "invoice_seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "memberships" (
    "id" TEXT NOT NULL DEFAULT cd_id('mem'::text),
    "team_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "TeamRole" NOT NULL DEFAULT 'MEMBER',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "billing_details" (
    "team_id" TEXT NOT NULL,
    "company_name" TEXT,
    "address_line1" TEXT,
    "address_line2" TEXT,
    "city" TEXT,
    "region" TEXT,
    "postal_code" TEXT,
    "country" TEXT,
    "tax_id" TEXT,
    "billing_email" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_details_pkey" PRIMARY KEY ("team_id")
);

CREATE TABLE "ledger_entries" (
    "id" TEXT NOT NULL DEFAULT cd_id('le'::text),
    "team_id" TEXT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "amount" BIGINT NOT NULL,
    "balance_after" BIGINT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "grant_id" TEXT,
    "payment_id" TEXT,
    "operation" TEXT,
    "quantity" BIGINT,
    "api_key_id" TEXT,
    "actor_user_id" TEXT,
    "reference_type" TEXT,
    "reference_id" TEXT,
    "description" TEXT,
    "metadata" JSONB,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "credit_grants" (
    "id" TEXT NOT NULL DEFAULT cd_id('gr'::text),
    "team_id" TEXT NOT NULL,
    "source" "CreditSource" NOT NULL,
    "amount" BIGINT NOT NULL,
    "remaining" BIGINT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "expires_at" TIMESTAMPTZ(3),
    "expired_at" TIMESTAMPTZ(3),
    "ledger_entry_id" TEXT,
    "payment_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_grants_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "payments" (
    "id" TEXT NOT NULL DEFAULT cd_id('pay'::text),
    "team_id" TEXT NOT NULL,
    "kind" "PaymentKind" NOT NULL DEFAULT 'TOPUP',
    "status" "PaymentStatus" NOT NULL DEFAULT 'PENDING',
    "method" TEXT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "credits" BIGINT NOT NULL,
    "bonus_credits" BIGINT NOT NULL DEFAULT '0',
    "refunded_cents" BIGINT NOT NULL DEFAULT '0',
    "coupon_id" TEXT,
    "stripe_checkout_session" TEXT,
    "stripe_payment_intent" TEXT,
    "stripe_charge" TEXT,
    "failure_message" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "created_by_user_id" TEXT,
    "succeeded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "coupons" (
    "id" TEXT NOT NULL DEFAULT cd_id('cpn'::text),
    "code" TEXT NOT NULL,
    "description" TEXT,
    "grant_credits" BIGINT NOT NULL DEFAULT '0',
    "bonus_percent" INTEGER NOT NULL DEFAULT 0,
    "min_amount_cents" BIGINT NOT NULL DEFAULT '0',
    "max_redemptions" INTEGER,
    "per_team_limit" INTEGER NOT NULL DEFAULT 1,
    "redemption_count" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3),
    "disabled_at" TIMESTAMPTZ(3),
    "created_by_user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupons_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "coupon_redemptions" (
    "id" TEXT NOT NULL DEFAULT cd_id('red'::text),
    "coupon_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "payment_id" TEXT,
    "status" "RedemptionStatus" NOT NULL DEFAULT 'RESERVED',
    "credits_granted" BIGINT NOT NULL DEFAULT '0',
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupon_redemptions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "rate_limit_buckets" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "plans" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "monthly_price_cents" BIGINT NOT NULL,
    "annual_price_cents" BIGINT NOT NULL,
    "monthly_credits" BIGINT,
    "stripe_monthly_lookup" TEXT,
    "stripe_annual_lookup" TEXT,
    "features" JSONB NOT NULL DEFAULT '[]',
    "can_buy_credits" BOOLEAN NOT NULL DEFAULT true,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "sort_order" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "subscriptions" (
    "id" TEXT NOT NULL DEFAULT cd_id('sub'::text),
    "team_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "status" "SubscriptionStatus" NOT NULL DEFAULT 'ACTIVE',
    "billing_cycle" "BillingCycle" NOT NULL DEFAULT 'MONTHLY',
    "stripe_subscription_id" TEXT,
    "current_period_start" TIMESTAMPTZ(3) NOT NULL,
    "current_period_end" TIMESTAMPTZ(3) NOT NULL,
    "cancel_at_period_end" BOOLEAN NOT NULL DEFAULT false,
    "canceled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "invoices" (
    "id" TEXT NOT NULL DEFAULT cd_id('inv'::text),
    "team_id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "source" "InvoiceSource" NOT NULL,
    "status" "InvoiceStatus" NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "stripe_invoice_id" TEXT,
    "payment_id" TEXT,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "paid_at" TIMESTAMPTZ(3),
    "hosted_url" TEXT,
    "lines" JSONB NOT NULL DEFAULT '[]',
    "billed_to" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "credit_line_applications" (
    "id" TEXT NOT NULL DEFAULT cd_id('cla'::text),
    "team_id" TEXT NOT NULL,
    "applicant_user_id" TEXT NOT NULL,
    "kind" "CreditLineKind" NOT NULL DEFAULT 'NEW',
    "applicant_type" "ApplicantType" NOT NULL,
    "company_name" TEXT,
    "website" TEXT,
    "product_info" TEXT,
    "contact_email" TEXT,
    "expected_usage_cents" BIGINT NOT NULL,
    "requested_limit_cents" BIGINT NOT NULL,
    "approved_limit_cents" BIGINT,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'PENDING',
    "reviewer_user_id" TEXT,
    "review_reason" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_line_applications_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "credit_line_statements" (
    "id" TEXT NOT NULL DEFAULT cd_id('cls'::text),
    "team_id" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "drawn_credits" BIGINT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "invoice_id" TEXT,
    "paid_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_line_statements_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "budgets" (
    "id" TEXT NOT NULL DEFAULT cd_id('bud'::text),
    "team_id" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'team',
    "monthly_cap_cents" BIGINT NOT NULL,
    "monthly_cap_credits" BIGINT NOT NULL,
    "hard_cap" BOOLEAN NOT NULL DEFAULT false,
    "allow_soft_overage" BOOLEAN NOT NULL DEFAULT true,
    "alert_email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "budget_alerts" (
    "id" TEXT NOT NULL DEFAULT cd_id('bal'::text),
    "budget_id" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "threshold_pct" INTEGER NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cleared_at" TIMESTAMPTZ(3),

    CONSTRAINT "budget_alerts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "spend_counters" (
    "team_id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "credits" BIGINT NOT NULL DEFAULT '0',

    CONSTRAINT "spend_counters_pkey" PRIMARY KEY ("team_id","scope","month")
);

CREATE TABLE "operation_prices" (
    "operation" TEXT NOT NULL,
    "credits_per_unit" BIGINT NOT NULL,
    "description" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operation_prices_pkey" PRIMARY KEY ("operation")
);

CREATE TABLE "usage_rollups" (
    "team_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "operation" TEXT NOT NULL,
    "quantity" BIGINT NOT NULL DEFAULT '0',
    "credits" BIGINT NOT NULL DEFAULT '0',
    "events" BIGINT NOT NULL DEFAULT '0',

    CONSTRAINT "usage_rollups_pkey" PRIMARY KEY ("team_id","day","operation")
);

CREATE TABLE "auto_top_ups" (
    "team_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "threshold_credits" BIGINT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "max_per_month" INTEGER NOT NULL DEFAULT 3,
    "failure_count" INTEGER NOT NULL DEFAULT 0,
    "in_flight_payment_id" TEXT,
    "disabled_reason" TEXT,
    "last_triggered_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auto_top_ups_pkey" PRIMARY KEY ("team_id")
);

CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL DEFAULT cd_id('key'::text),
    "team_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hashed_key" TEXT NOT NULL,
    "role" "ApiKeyRole" NOT NULL DEFAULT 'READ_ONLY',
    "created_by_user_id" TEXT,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "stripe_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "livemode" BOOLEAN NOT NULL DEFAULT false,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "stripe_events_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "audit_logs" (
    "id" TEXT NOT NULL DEFAULT cd_id('aud'::text),
    "team_id" TEXT,
    "actor_user_id" TEXT,
    "actor_api_key_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "notifications" (
    "id" TEXT NOT NULL DEFAULT cd_id('ntf'::text),
    "team_id" TEXT NOT NULL,
    "user_id" TEXT,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "email" TEXT,
    "emailed_at" TIMESTAMPTZ(3),
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

CREATE UNIQUE INDEX "accounts_provider_provider_account_id_key" ON "accounts"("provider", "provider_account_id");

CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");

CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

CREATE UNIQUE INDEX "teams_slug_key" ON "teams"("slug");

CREATE UNIQUE INDEX "teams_personal_owner_id_key" ON "teams"("personal_owner_id");

CREATE UNIQUE INDEX "teams_stripe_customer_id_key" ON "teams"("stripe_customer_id");

CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

CREATE UNIQUE INDEX "memberships_team_id_user_id_key" ON "memberships"("team_id", "user_id");

CREATE INDEX "ledger_entries_team_id_created_at_idx" ON "ledger_entries"("team_id", "created_at");

CREATE INDEX "ledger_entries_team_id_kind_created_at_idx" ON "ledger_entries"("team_id", "kind", "created_at");

CREATE INDEX "ledger_entries_payment_id_idx" ON "ledger_entries"("payment_id");

CREATE UNIQUE INDEX "ledger_entries_team_id_idempotency_key_key" ON "ledger_entries"("team_id", "idempotency_key");

CREATE UNIQUE INDEX "credit_grants_ledger_entry_id_key" ON "credit_grants"("ledger_entry_id");

CREATE INDEX "credit_grants_team_id_expires_at_priority_idx" ON "credit_grants"("team_id", "expires_at", "priority");

CREATE INDEX "credit_grants_expires_at_idx" ON "credit_grants"("expires_at");

CREATE INDEX "credit_grants_payment_id_idx" ON "credit_grants"("payment_id");

CREATE UNIQUE INDEX "payments_stripe_checkout_session_key" ON "payments"("stripe_checkout_session");

CREATE UNIQUE INDEX "payments_stripe_payment_intent_key" ON "payments"("stripe_payment_intent");

CREATE UNIQUE INDEX "payments_stripe_charge_key" ON "payments"("stripe_charge");

CREATE INDEX "payments_team_id_created_at_idx" ON "payments"("team_id", "created_at");

CREATE UNIQUE INDEX "payments_team_id_idempotency_key_key" ON "payments"("team_id", "idempotency_key");

CREATE UNIQUE INDEX "coupons_code_key" ON "coupons"("code");

CREATE UNIQUE INDEX "coupon_redemptions_payment_id_key" ON "coupon_redemptions"("payment_id");

CREATE INDEX "coupon_redemptions_coupon_id_team_id_idx" ON "coupon_redemptions"("coupon_id", "team_id");

CREATE UNIQUE INDEX "coupon_redemptions_team_id_idempotency_key_key" ON "coupon_redemptions"("team_id", "idempotency_key");

CREATE UNIQUE INDEX "plans_stripe_monthly_lookup_key" ON "plans"("stripe_monthly_lookup");

CREATE UNIQUE INDEX "plans_stripe_annual_lookup_key" ON "plans"("stripe_annual_lookup");

CREATE UNIQUE INDEX "subscriptions_team_id_key" ON "subscriptions"("team_id");

CREATE UNIQUE INDEX "subscriptions_stripe_subscription_id_key" ON "subscriptions"("stripe_subscription_id");

CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");

CREATE UNIQUE INDEX "invoices_stripe_invoice_id_key" ON "invoices"("stripe_invoice_id");

CREATE UNIQUE INDEX "invoices_payment_id_key" ON "invoices"("payment_id");

CREATE INDEX "invoices_team_id_created_at_idx" ON "invoices"("team_id", "created_at");

CREATE INDEX "credit_line_applications_status_created_at_idx" ON "credit_line_applications"("status", "created_at");

CREATE INDEX "credit_line_applications_team_id_created_at_idx" ON "credit_line_applications"("team_id", "created_at");

CREATE UNIQUE INDEX "credit_line_statements_invoice_id_key" ON "credit_line_statements"("invoice_id");

CREATE UNIQUE INDEX "credit_line_statements_team_id_month_key" ON "credit_line_statements"("team_id", "month");

CREATE UNIQUE INDEX "budgets_team_id_scope_key" ON "budgets"("team_id", "scope");

CREATE UNIQUE INDEX "budget_alerts_budget_id_month_threshold_pct_key" ON "budget_alerts"("budget_id", "month", "threshold_pct");

CREATE UNIQUE INDEX "api_keys_hashed_key_key" ON "api_keys"("hashed_key");

CREATE INDEX "api_keys_team_id_created_at_idx" ON "api_keys"("team_id", "created_at");

CREATE INDEX "stripe_events_type_received_at_idx" ON "stripe_events"("type", "received_at");

CREATE INDEX "audit_logs_team_id_created_at_idx" ON "audit_logs"("team_id", "created_at");

CREATE INDEX "audit_logs_action_created_at_idx" ON "audit_logs"("action", "created_at");

CREATE INDEX "notifications_team_id_created_at_idx" ON "notifications"("team_id", "created_at");

ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "teams" ADD CONSTRAINT "teams_personal_owner_id_fkey" FOREIGN KEY ("personal_owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "memberships" ADD CONSTRAINT "memberships_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "billing_details" ADD CONSTRAINT "billing_details_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "credit_grants" ADD CONSTRAINT "credit_grants_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "payments" ADD CONSTRAINT "payments_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "payments" ADD CONSTRAINT "payments_coupon_id_fkey" FOREIGN KEY ("coupon_id") REFERENCES "coupons"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_coupon_id_fkey" FOREIGN KEY ("coupon_id") REFERENCES "coupons"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "invoices" ADD CONSTRAINT "invoices_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "credit_line_applications" ADD CONSTRAINT "credit_line_applications_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "credit_line_statements" ADD CONSTRAINT "credit_line_statements_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "budgets" ADD CONSTRAINT "budgets_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "spend_counters" ADD CONSTRAINT "spend_counters_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "usage_rollups" ADD CONSTRAINT "usage_rollups_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "auto_top_ups" ADD CONSTRAINT "auto_top_ups_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "notifications" ADD CONSTRAINT "notifications_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A grant never holds negative or more than it was given.
ALTER TABLE "credit_grants" ADD CONSTRAINT "credit_grants_remaining_check" CHECK ("remaining" >= 0 AND "remaining" <= "amount");
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_check" CHECK ("amount_cents" > 0 AND "credits" >= 0 AND "refunded_cents" >= 0);
