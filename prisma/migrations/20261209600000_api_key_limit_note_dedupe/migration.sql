-- cd_api_key_limit_note as in 20261209100000_api_key_limits, but an alert, and a note that an alert cleared because the
-- limit was raised, removed or given another period, are deduplicated per transaction, not per (key, period, limit or
-- reason): an alert cleared and raised again in the same period (a raise, then usage or a lower limit) got no alert,
-- and a second raise no note, their dedupe keys being the first ones'. Whether to alert is decided by the key's
-- limit_alert_period_start under the team's row lock (cd_debit_batch, set-api-key-limit.ts), so once per crossing
-- holds without the key. The note that a new period began stays once per key and period: the debit path and the roll
-- job may both write it.

CREATE OR REPLACE FUNCTION cd_api_key_limit_note(p_key text, p_cleared boolean, p_period_start timestamptz, p_why text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  k record;
  v_kind text;
  v_title text;
  v_body text;
  v_period text;
BEGIN
  SELECT ak.team_id, ak.name, ak.prefix, ak.limit_credits, ak.limit_period, ak.limit_spent INTO k FROM api_keys ak WHERE ak.id = p_key;
  IF NOT FOUND THEN RETURN; END IF;
  v_period := CASE k.limit_period WHEN 'DAY' THEN 'day' WHEN 'WEEK' THEN 'week' WHEN 'MONTH' THEN 'month' ELSE 'period' END;
  IF p_cleared THEN
    v_kind := 'api_key_limit_cleared';
    v_title := format('API key "%s" is clear of its spending limit', k.name);
    v_body := format('API key "%s" (%s…) is no longer near its spending limit: %s.', k.name, k.prefix, p_why);
  ELSE
    v_kind := 'api_key_limit_alert';
    v_title := format('API key "%s" has used 80%% of its spending limit', k.name);
    v_body := format('API key "%s" (%s…) has spent %s of its %s credits for the %s that began %s UTC (%s%%). Usage through it past the limit is refused (API_KEY_LIMIT_REACHED) until the %s ends or the limit is raised.',
                     k.name, k.prefix, k.limit_spent, k.limit_credits, v_period, to_char(p_period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
                     floor(k.limit_spent::numeric * 100 / GREATEST(k.limit_credits, 1)), v_period);
  END IF;
  INSERT INTO notifications (team_id, user_id, kind, title, body, email, dedupe_key)
  SELECT k.team_id, m.user_id, v_kind, v_title, v_body, u.email,
         format('%s:%s:%s:%s:%s', v_kind, p_key, to_char(p_period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
                CASE WHEN NOT p_cleared THEN COALESCE(k.limit_credits::text, '') || ':' || txid_current()::text
                     WHEN p_why = 'a new period began' THEN p_why
                     ELSE p_why || ':' || txid_current()::text END, m.user_id)
    FROM memberships m JOIN users u ON u.id = m.user_id
   WHERE m.team_id = k.team_id AND m.role IN ('OWNER', 'BILLING')
  ON CONFLICT (dedupe_key) DO NOTHING;
END;
$$;
