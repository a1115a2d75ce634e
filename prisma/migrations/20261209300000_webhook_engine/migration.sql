-- The outgoing webhook engine (issue 13): emitting events in the transaction of their billing fact, the retry count
-- of the automatic schedule, and the low-balance watch.

-- Automatic attempts made (Resend's manual attempts count in `attempts` but not here, so they never move the backoff).
ALTER TABLE "webhook_deliveries" ADD COLUMN "auto_attempts" INTEGER NOT NULL DEFAULT 0;

-- Whether a team's balance is below its low-balance line, as last seen by the balance watch (one balance_low event
-- per time it falls below; the row is cleared when the balance is back above).
CREATE TABLE "webhook_balance_watches" (
    "team_id" TEXT NOT NULL,
    "low_since" TIMESTAMPTZ(3),
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_balance_watches_pkey" PRIMARY KEY ("team_id")
);
ALTER TABLE "webhook_balance_watches" ADD CONSTRAINT "webhook_balance_watches_team_id_fkey"
  FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Emits one webhook event: nothing at all (one probe of the team's endpoints) unless an enabled endpoint of the team
-- subscribes to p_type; once per (team, p_dedupe); one PENDING delivery per such endpoint, whose ids it returns (the
-- caller sends their jobs in the same transaction; the sweep sends those of callers without a queue, such as SQL).
-- lib/billing/webhooks/emit-event.ts is its one TypeScript caller.
CREATE FUNCTION cd_webhook_emit(p_team text, p_type text, p_data jsonb, p_dedupe text, p_now timestamptz DEFAULT NULL)
RETURNS TABLE(r_delivery_id text, r_event_id text) LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := COALESCE(p_now, now());
  v_event text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.team_id = p_team AND e.status = 'ENABLED' AND p_type = ANY(e.events)) THEN
    RETURN;
  END IF;
  INSERT INTO webhook_events (team_id, type, data, dedupe_key, created_at) VALUES (p_team, p_type, p_data, p_dedupe, v_now)
  ON CONFLICT (team_id, dedupe_key) DO NOTHING
  RETURNING id INTO v_event;
  IF v_event IS NULL THEN RETURN; END IF;
  RETURN QUERY
    INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at, created_at)
    SELECT v_event, e.id, v_now, v_now FROM webhook_endpoints e
     WHERE e.team_id = p_team AND e.status = 'ENABLED' AND p_type = ANY(e.events)
    RETURNING id, v_event;
END;
$$;

-- As before (20261121010000_ledger_functions), and a budget_alert webhook event with each alert. Crossings are rare and
-- the event costs one probe of the team's endpoints, so the debit path does not pay for it.
CREATE OR REPLACE FUNCTION cd_budget_fire(p_budget text, p_pct integer, p_spend bigint, p_month text, p_now timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  v_id text;
  b record;
BEGIN
  INSERT INTO budget_alerts (budget_id, month, threshold_pct, sent_at) VALUES (p_budget, p_month, p_pct, p_now)
  ON CONFLICT (budget_id, month, threshold_pct) DO UPDATE SET sent_at = EXCLUDED.sent_at, cleared_at = NULL
    WHERE budget_alerts.cleared_at IS NOT NULL
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN RETURN false; END IF;
  SELECT bu.team_id, bu.scope, bu.alert_email, bu.monthly_cap_cents, bu.monthly_cap_credits, bu.hard_cap INTO b FROM budgets bu WHERE bu.id = p_budget;
  INSERT INTO notifications (team_id, kind, title, body, email)
  VALUES (b.team_id, 'budget_alert',
          format('Budget %s%% reached', p_pct),
          format('%s spent %s credits in %s, %s%% of the monthly budget of %s credits ($%s)%s.',
                 CASE WHEN b.scope = 'team' THEN 'Your team has' ELSE format('API key %s has', b.scope) END,
                 p_spend, p_month, floor(p_spend::numeric * 100 / GREATEST(b.monthly_cap_credits, 1)), b.monthly_cap_credits,
                 to_char(b.monthly_cap_cents::numeric / 100, 'FM999999999990.00'),
                 CASE WHEN p_pct >= 100 THEN '; spending past it is blocked for a hard cap' ELSE '' END),
          b.alert_email);
  PERFORM cd_webhook_emit(b.team_id, 'budget_alert',
    jsonb_build_object('budget_id', p_budget, 'scope', CASE WHEN b.scope = 'team' THEN 'team' ELSE 'api_key' END,
                       'api_key_id', CASE WHEN b.scope = 'team' THEN NULL ELSE b.scope END,
                       'threshold_pct', p_pct, 'month', p_month, 'spend_credits', p_spend,
                       'cap_credits', b.monthly_cap_credits, 'cap_cents', b.monthly_cap_cents, 'hard_cap', b.hard_cap),
    format('budget_alert:%s:%s', v_id, floor(extract(epoch FROM p_now) * 1000)::bigint), p_now);
  RETURN true;
END;
$$;
