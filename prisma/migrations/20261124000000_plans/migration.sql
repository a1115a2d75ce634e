-- The seed's plans (billing-api-plans-budgets): monthly credits are FCU (1 credit = 1 FCU); annual prices are the
-- yearly total at 17% off. NULL monthly_credits means unlimited (metered, or set per contract for Enterprise).
-- Free cannot buy credits; a team without a subscriptions row is on Free.
INSERT INTO plans (id, name, monthly_price_cents, annual_price_cents, monthly_credits, stripe_monthly_lookup, stripe_annual_lookup, features, can_buy_credits, active, sort_order) VALUES
  ('free', 'Free', 0, 0, 10000, NULL, NULL, '["No credit card", "Evaluate the platform"]', false, true, 0),
  ('payg', 'Pay as you go', 0, 0, NULL, 'payg_monthly', NULL, '["No monthly fee", "$2.00 per 1M credits overage"]', true, true, 10),
  ('starter', 'Starter', 900, 8964, 1000000, 'starter_monthly', 'starter_annual', '["SDK GPU acceleration (bring your own GPU)"]', true, true, 20),
  ('pro', 'Pro', 4900, 48804, 20000000, 'pro_monthly', 'pro_annual', '["Priority compute queue", "Webhook alerts", "Batch discount"]', true, true, 30),
  ('scale', 'Scale', 19900, 198204, 100000000, 'scale_monthly', 'scale_annual', '["Dedicated compute allocation", "99.9% SLA"]', true, true, 40),
  ('enterprise', 'Enterprise', 0, 0, NULL, NULL, NULL, '["Custom SLA", "Audit logs", "Self-hosted GPU option", "On-prem"]', true, true, 50)
ON CONFLICT (id) DO NOTHING;
