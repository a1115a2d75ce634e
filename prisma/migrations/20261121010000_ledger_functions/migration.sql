-- Billing core: ledger write functions, ledger order, grant indexes and the default operation prices.
--
-- Every function that changes a team's credits locks the team row first (so all writers, in any process,
-- serialize per team), reads the clock after the lock (so created_at and seq follow the per-team commit order),
-- appends ledger entries and moves teams.balance in the same transaction.
--
-- Grants and balance: the sum of grants' remaining always equals max(balance, 0). Credits that arrive while the
-- balance is below zero first repay the drawn credit line; only the rest becomes the new grant's remaining.
-- Grants drain soonest expiry first, then by priority (lower first), then oldest.

-- A total order of each team's entries (a batch shares one created_at millisecond).
ALTER TABLE "ledger_entries" ADD COLUMN "seq" BIGSERIAL NOT NULL;
CREATE INDEX "ledger_entries_team_id_seq_idx" ON "ledger_entries"("team_id", "seq");

-- Grants that can still be drained, in drain order; and grants still waiting for their expiry.
CREATE INDEX "credit_grants_drainable_idx" ON "credit_grants"("team_id", "expires_at", "priority", "created_at") WHERE "remaining" > 0;
CREATE INDEX "credit_grants_unexpired_idx" ON "credit_grants"("team_id", "expires_at") WHERE "expired_at" IS NULL AND "expires_at" IS NOT NULL;

-- Expires the team's grants whose time has come, one EXPIRY entry per grant with credits left.
-- The caller holds the team row lock.
CREATE FUNCTION cd_expire_grants_locked(p_team text, p_now timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_count integer := 0;
  g record;
BEGIN
  SELECT t.balance INTO v_balance FROM teams t WHERE t.id = p_team;
  FOR g IN
    SELECT cg.id, cg.remaining, cg.expires_at FROM credit_grants cg
    WHERE cg.team_id = p_team AND cg.expired_at IS NULL AND cg.expires_at <= p_now
    ORDER BY cg.expires_at, cg.priority, cg.created_at, cg.id
  LOOP
    IF g.remaining > 0 THEN
      v_balance := v_balance - g.remaining;
      INSERT INTO ledger_entries (team_id, kind, amount, balance_after, idempotency_key, grant_id, description, occurred_at, created_at)
      VALUES (p_team, 'EXPIRY', -g.remaining, v_balance, 'expiry:' || g.id, g.id, 'Credits expired', g.expires_at, p_now);
      v_count := v_count + 1;
    END IF;
    UPDATE credit_grants SET remaining = 0, expired_at = p_now WHERE id = g.id;
  END LOOP;
  IF v_count > 0 THEN
    UPDATE teams SET balance = v_balance, updated_at = p_now WHERE id = p_team;
  END IF;
  RETURN v_count;
END;
$$;

-- Locks the team, then expires its due grants. Returns the number of EXPIRY entries written.
CREATE FUNCTION cd_expire_grants(p_team text, p_now timestamptz DEFAULT NULL) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM teams t WHERE t.id = p_team FOR UPDATE;
  IF NOT FOUND THEN RETURN 0; END IF;
  RETURN cd_expire_grants_locked(p_team, COALESCE(p_now, clock_timestamp()));
END;
$$;

-- Adds credits with a grant. A repeated idempotency key returns the first entry and writes nothing.
CREATE FUNCTION cd_credit(
  p_team text, p_kind "LedgerKind", p_source "CreditSource", p_amount bigint, p_key text,
  p_payment_id text, p_expires_at timestamptz, p_priority integer, p_actor text, p_reference_type text,
  p_reference_id text, p_description text, p_metadata jsonb, p_occurred_at timestamptz
) RETURNS TABLE(r_entry_id text, r_grant_id text, r_duplicate boolean) LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_now timestamptz;
  v_entry text;
  v_grant text;
  v_to_grant bigint;
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RAISE EXCEPTION 'cd_credit: amount must be positive, got %', p_amount USING ERRCODE = '22023';
  END IF;
  SELECT t.balance INTO v_balance FROM teams t WHERE t.id = p_team FOR UPDATE;
  IF NOT FOUND THEN RETURN; END IF; -- no team: no row
  SELECT le.id, le.grant_id INTO v_entry, v_grant FROM ledger_entries le WHERE le.team_id = p_team AND le.idempotency_key = p_key;
  IF FOUND THEN
    RETURN QUERY SELECT v_entry, v_grant, true;
    RETURN;
  END IF;
  v_now := clock_timestamp();
  v_to_grant := p_amount - LEAST(p_amount, GREATEST(-v_balance, 0));
  v_balance := v_balance + p_amount;
  v_entry := cd_id('le');
  v_grant := cd_id('gr');
  INSERT INTO ledger_entries (id, team_id, kind, amount, balance_after, idempotency_key, grant_id, payment_id, actor_user_id,
                              reference_type, reference_id, description, metadata, occurred_at, created_at)
  VALUES (v_entry, p_team, p_kind, p_amount, v_balance, p_key, v_grant, p_payment_id, p_actor,
          p_reference_type, p_reference_id, p_description, p_metadata, COALESCE(p_occurred_at, v_now), v_now);
  INSERT INTO credit_grants (id, team_id, source, amount, remaining, priority, expires_at, ledger_entry_id, payment_id, created_at)
  VALUES (v_grant, p_team, p_source, p_amount, v_to_grant, p_priority, p_expires_at, v_entry, p_payment_id, v_now);
  UPDATE teams SET balance = v_balance, updated_at = v_now WHERE id = p_team;
  RETURN QUERY SELECT v_entry, v_grant, false;
END;
$$;

-- Takes credits back (refund, dispute, negative adjustment): drains the payment's grants first, then the others
-- in drain order. Not bound by the floor: the balance may go below zero and below minus the credit limit.
CREATE FUNCTION cd_take(
  p_team text, p_kind "LedgerKind", p_amount bigint, p_key text, p_payment_id text, p_actor text,
  p_reference_type text, p_reference_id text, p_description text, p_metadata jsonb, p_occurred_at timestamptz
) RETURNS TABLE(r_entry_id text, r_grant_id text, r_duplicate boolean, r_drained bigint) LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_now timestamptz;
  v_entry text;
  v_first text;
  v_left bigint;
  v_take bigint;
  g record;
BEGIN
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RAISE EXCEPTION 'cd_take: amount must be positive, got %', p_amount USING ERRCODE = '22023';
  END IF;
  SELECT t.balance INTO v_balance FROM teams t WHERE t.id = p_team FOR UPDATE;
  IF NOT FOUND THEN RETURN; END IF; -- no team: no row
  SELECT le.id, le.grant_id INTO v_entry, v_first FROM ledger_entries le WHERE le.team_id = p_team AND le.idempotency_key = p_key;
  IF FOUND THEN
    RETURN QUERY SELECT v_entry, v_first, true, NULL::bigint;
    RETURN;
  END IF;
  v_now := clock_timestamp();
  v_left := p_amount;
  FOR g IN
    SELECT cg.id, cg.remaining FROM credit_grants cg
    WHERE cg.team_id = p_team AND cg.remaining > 0
    ORDER BY (p_payment_id IS NOT NULL AND cg.payment_id IS NOT DISTINCT FROM p_payment_id) DESC,
             cg.expires_at ASC NULLS LAST, cg.priority, cg.created_at, cg.id
  LOOP
    EXIT WHEN v_left = 0;
    v_take := LEAST(v_left, g.remaining);
    UPDATE credit_grants SET remaining = remaining - v_take WHERE id = g.id;
    v_first := COALESCE(v_first, g.id);
    v_left := v_left - v_take;
  END LOOP;
  v_balance := v_balance - p_amount;
  v_entry := cd_id('le');
  INSERT INTO ledger_entries (id, team_id, kind, amount, balance_after, idempotency_key, grant_id, payment_id, actor_user_id,
                              reference_type, reference_id, description, metadata, occurred_at, created_at)
  VALUES (v_entry, p_team, p_kind, -p_amount, v_balance, p_key, v_first, p_payment_id, p_actor,
          p_reference_type, p_reference_id, p_description, p_metadata, COALESCE(p_occurred_at, v_now), v_now);
  UPDATE teams SET balance = v_balance, updated_at = v_now WHERE id = p_team;
  RETURN QUERY SELECT v_entry, v_first, false, p_amount - v_left;
END;
$$;

-- Records a budget alert once per budget, month and threshold (again only after the condition had cleared),
-- with a notification to the budget's alert email.
CREATE FUNCTION cd_budget_fire(p_budget text, p_pct integer, p_spend bigint, p_month text, p_now timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  v_id text;
  b record;
BEGIN
  INSERT INTO budget_alerts (budget_id, month, threshold_pct, sent_at) VALUES (p_budget, p_month, p_pct, p_now)
  ON CONFLICT (budget_id, month, threshold_pct) DO UPDATE SET sent_at = EXCLUDED.sent_at, cleared_at = NULL
    WHERE budget_alerts.cleared_at IS NOT NULL
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN RETURN false; END IF;
  SELECT bu.team_id, bu.scope, bu.alert_email, bu.monthly_cap_cents, bu.monthly_cap_credits INTO b FROM budgets bu WHERE bu.id = p_budget;
  INSERT INTO notifications (team_id, kind, title, body, email)
  VALUES (b.team_id, 'budget_alert',
          format('Budget %s%% reached', p_pct),
          format('%s spent %s credits in %s, %s%% of the monthly budget of %s credits ($%s)%s.',
                 CASE WHEN b.scope = 'team' THEN 'Your team has' ELSE format('API key %s has', b.scope) END,
                 p_spend, p_month, floor(p_spend::numeric * 100 / GREATEST(b.monthly_cap_credits, 1)), b.monthly_cap_credits,
                 to_char(b.monthly_cap_cents::numeric / 100, 'FM999999999990.00'),
                 CASE WHEN p_pct >= 100 THEN '; spending past it is blocked for a hard cap' ELSE '' END),
          b.alert_email);
  RETURN true;
END;
$$;

-- Fires the thresholds a spend increase crossed (50, 80, 100 percent of the cap).
CREATE FUNCTION cd_budget_cross(p_budget text, p_cap bigint, p_before bigint, p_after bigint, p_month text, p_now timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t integer;
BEGIN
  FOREACH t IN ARRAY ARRAY[50, 80, 100] LOOP
    IF p_before::numeric * 100 < p_cap::numeric * t AND p_after::numeric * 100 >= p_cap::numeric * t THEN
      PERFORM cd_budget_fire(p_budget, t, p_after, p_month, p_now);
    END IF;
  END LOOP;
END;
$$;

-- Re-evaluates a budget's alerts for the month after its cap changed: fires what is now crossed, and marks
-- alerts whose condition no longer holds as cleared (with a notification). Returns the month's spend.
CREATE FUNCTION cd_budget_evaluate(p_budget text, p_now timestamptz DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := COALESCE(p_now, clock_timestamp());
  v_month text := to_char(COALESCE(p_now, clock_timestamp()) AT TIME ZONE 'UTC', 'YYYY-MM');
  v_spend bigint;
  v_cleared integer[];
  b record;
  t integer;
BEGIN
  SELECT bu.id, bu.team_id, bu.scope, bu.alert_email, bu.monthly_cap_credits INTO b FROM budgets bu WHERE bu.id = p_budget;
  IF NOT FOUND THEN RETURN NULL; END IF;
  SELECT COALESCE(sum(sc.credits), 0) INTO v_spend FROM spend_counters sc WHERE sc.team_id = b.team_id AND sc.scope = b.scope AND sc.month = v_month;
  FOREACH t IN ARRAY ARRAY[50, 80, 100] LOOP
    IF v_spend::numeric * 100 >= b.monthly_cap_credits::numeric * t THEN
      PERFORM cd_budget_fire(p_budget, t, v_spend, v_month, v_now);
    END IF;
  END LOOP;
  WITH c AS (
    UPDATE budget_alerts ba SET cleared_at = v_now
    WHERE ba.budget_id = p_budget AND ba.month = v_month AND ba.cleared_at IS NULL
      AND v_spend::numeric * 100 < b.monthly_cap_credits::numeric * ba.threshold_pct
    RETURNING ba.threshold_pct
  ) SELECT array_agg(threshold_pct ORDER BY threshold_pct) INTO v_cleared FROM c;
  IF v_cleared IS NOT NULL THEN
    INSERT INTO notifications (team_id, kind, title, body, email)
    VALUES (b.team_id, 'budget_alert_cleared', 'Budget alert cleared',
            format('After the budget change, spending in %s (%s credits) is below the %s%% threshold%s again.',
                   v_month, v_spend, array_to_string(v_cleared, '%, '), CASE WHEN cardinality(v_cleared) > 1 THEN 's' ELSE '' END),
            b.alert_email);
  END IF;
  RETURN v_spend;
END;
$$;

-- Applies a team's pending usage debits in one transaction: one lock, each debit decided in order against the floor
-- (-credit_limit_credits) and any blocking budget cap, one multi-row insert, grants drained, the balance moved once,
-- the month's spend counters and the day's usage rollups upserted, and budget alerts fired on crossing.
-- p_events: [{k: key, a: credits, op, q: quantity, kid: api key id, at: occurred_at, m: metadata, d: description}].
-- Returns one row per event, in order: debited | duplicate (first result of that key) | rejected (with a code).
CREATE FUNCTION cd_debit_batch(p_team text, p_events jsonb, p_now timestamptz DEFAULT NULL)
RETURNS TABLE(r_ord integer, r_status text, r_entry_id text, r_amount bigint, r_balance_after bigint, r_code text)
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_floor bigint;
  v_now timestamptz;
  v_month text;
  v_n integer;
  e_key text[]; e_amt bigint[]; e_op text[]; e_qty bigint[]; e_kid text[]; e_at timestamptz[]; e_meta jsonb[]; e_desc text[];
  e_first integer[]; x_id text[]; x_amt bigint[]; x_bal bigint[];
  o_status text[]; o_id text[]; o_amt bigint[]; o_bal bigint[]; o_code text[]; o_gid text[];
  g_id text[]; g_rem bigint[]; g_n integer := 0; gi integer := 1; g_touched integer := 0;
  tb_id text; tb_cap bigint; tb_block boolean := false;
  kb_scope text[]; kb_id text[]; kb_cap bigint[]; kb_block boolean[]; kb_spend0 bigint[]; kb_spend bigint[]; kp integer;
  v_spend0 bigint; v_spend bigint;
  v_total bigint := 0;
  v_accepted integer := 0;
  i integer; f integer; a bigint; v_left bigint; v_take bigint;
BEGIN
  SELECT t.balance, -t.credit_limit_credits INTO v_balance, v_floor FROM teams t WHERE t.id = p_team FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT o.ord::integer, 'rejected'::text, NULL::text, NULL::bigint, NULL::bigint, 'NOT_FOUND'::text
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS o(v, ord) ORDER BY o.ord;
    RETURN;
  END IF;
  v_now := COALESCE(p_now, clock_timestamp());
  v_month := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM');

  IF EXISTS (SELECT 1 FROM credit_grants cg WHERE cg.expires_at <= v_now AND cg.team_id = p_team AND cg.expired_at IS NULL) THEN
    PERFORM cd_expire_grants_locked(p_team, v_now);
    SELECT t.balance INTO v_balance FROM teams t WHERE t.id = p_team;
  END IF;

  SELECT array_agg(x.k ORDER BY x.ord), array_agg(x.a ORDER BY x.ord), array_agg(x.op ORDER BY x.ord), array_agg(x.q ORDER BY x.ord),
         array_agg(x.kid ORDER BY x.ord), array_agg(x.at ORDER BY x.ord), array_agg(x.m ORDER BY x.ord), array_agg(x.d ORDER BY x.ord),
         array_agg(x.first_ord::integer ORDER BY x.ord), array_agg(le.id ORDER BY x.ord), array_agg(-le.amount ORDER BY x.ord),
         array_agg(le.balance_after ORDER BY x.ord), count(*)
    INTO e_key, e_amt, e_op, e_qty, e_kid, e_at, e_meta, e_desc, e_first, x_id, x_amt, x_bal, v_n
    FROM (SELECT r.*, min(r.ord) OVER (PARTITION BY r.k) AS first_ord
            FROM ROWS FROM (jsonb_to_recordset(p_events) AS (k text, a bigint, op text, q bigint, kid text, at timestamptz, m jsonb, d text))
                 WITH ORDINALITY AS r(k, a, op, q, kid, at, m, d, ord)) x
    LEFT JOIN ledger_entries le ON le.team_id = p_team AND le.idempotency_key = x.k;
  IF v_n = 0 THEN RETURN; END IF;
  IF EXISTS (SELECT 1 FROM unnest(e_key, e_amt) AS u(k, a) WHERE u.k IS NULL OR u.a IS NULL OR u.a < 0) THEN
    RAISE EXCEPTION 'cd_debit_batch: every event needs a key and a non-negative amount' USING ERRCODE = '22023';
  END IF;

  SELECT COALESCE(sum(sc.credits), 0) INTO v_spend0 FROM spend_counters sc WHERE sc.team_id = p_team AND sc.scope = 'team' AND sc.month = v_month;
  v_spend := v_spend0;
  SELECT b.id, b.monthly_cap_credits, (b.hard_cap OR NOT b.allow_soft_overage) INTO tb_id, tb_cap, tb_block
    FROM budgets b WHERE b.team_id = p_team AND b.scope = 'team';
  tb_block := COALESCE(tb_block, false);
  SELECT array_agg(b.scope), array_agg(b.id), array_agg(b.monthly_cap_credits), array_agg(b.hard_cap OR NOT b.allow_soft_overage),
         array_agg(COALESCE(sc.credits, 0))
    INTO kb_scope, kb_id, kb_cap, kb_block, kb_spend0
    FROM budgets b LEFT JOIN spend_counters sc ON sc.team_id = b.team_id AND sc.scope = b.scope AND sc.month = v_month
   WHERE b.team_id = p_team AND b.scope <> 'team' AND b.scope = ANY(e_kid);
  kb_spend := kb_spend0;

  IF v_balance > 0 THEN
    SELECT array_agg(cg.id ORDER BY cg.expires_at ASC NULLS LAST, cg.priority, cg.created_at, cg.id),
           array_agg(cg.remaining ORDER BY cg.expires_at ASC NULLS LAST, cg.priority, cg.created_at, cg.id)
      INTO g_id, g_rem FROM credit_grants cg WHERE cg.team_id = p_team AND cg.remaining > 0;
    g_n := COALESCE(cardinality(g_id), 0);
  END IF;

  o_status := array_fill(NULL::text, ARRAY[v_n]);
  FOR i IN 1..v_n LOOP
    IF x_id[i] IS NOT NULL THEN
      o_status[i] := 'duplicate'; o_id[i] := x_id[i]; o_amt[i] := x_amt[i]; o_bal[i] := x_bal[i];
    ELSIF e_first[i] <> i THEN
      f := e_first[i];
      o_status[i] := CASE WHEN o_status[f] = 'rejected' THEN 'rejected' ELSE 'duplicate' END;
      o_id[i] := o_id[f]; o_amt[i] := o_amt[f]; o_bal[i] := o_bal[f]; o_code[i] := o_code[f];
    ELSE
      a := e_amt[i];
      kp := CASE WHEN e_kid[i] IS NULL OR kb_scope IS NULL THEN NULL ELSE array_position(kb_scope, e_kid[i]) END;
      IF v_balance - a < v_floor THEN
        o_status[i] := 'rejected'; o_code[i] := 'INSUFFICIENT_CREDITS';
      ELSIF tb_block AND v_spend + a > tb_cap THEN
        o_status[i] := 'rejected'; o_code[i] := 'BUDGET_HARD_CAP_HIT';
      ELSIF kp IS NOT NULL AND kb_block[kp] AND kb_spend[kp] + a > kb_cap[kp] THEN
        o_status[i] := 'rejected'; o_code[i] := 'BUDGET_HARD_CAP_HIT';
      ELSE
        v_balance := v_balance - a;
        v_spend := v_spend + a;
        IF kp IS NOT NULL THEN kb_spend[kp] := kb_spend[kp] + a; END IF;
        o_status[i] := 'debited'; o_id[i] := cd_id('le'); o_amt[i] := a; o_bal[i] := v_balance;
        IF gi <= g_n THEN o_gid[i] := g_id[gi]; END IF;
        v_left := a;
        WHILE v_left > 0 AND gi <= g_n LOOP
          v_take := LEAST(v_left, g_rem[gi]);
          g_rem[gi] := g_rem[gi] - v_take;
          v_left := v_left - v_take;
          g_touched := gi;
          IF g_rem[gi] = 0 THEN gi := gi + 1; END IF;
        END LOOP;
        v_total := v_total + a;
        v_accepted := v_accepted + 1;
      END IF;
    END IF;
  END LOOP;

  IF v_accepted > 0 THEN
    INSERT INTO ledger_entries (id, team_id, kind, amount, balance_after, idempotency_key, grant_id, operation, quantity, api_key_id,
                                description, metadata, occurred_at, created_at)
    SELECT o_id[s.i], p_team, 'USAGE', -o_amt[s.i], o_bal[s.i], e_key[s.i], o_gid[s.i], e_op[s.i], e_qty[s.i], e_kid[s.i],
           e_desc[s.i], e_meta[s.i], COALESCE(e_at[s.i], v_now), v_now
      FROM generate_series(1, v_n) AS s(i) WHERE o_status[s.i] = 'debited'
     ORDER BY s.i;
    UPDATE teams SET balance = v_balance, updated_at = v_now WHERE id = p_team;
    IF g_touched > 0 THEN
      UPDATE credit_grants cg SET remaining = u.rem
        FROM unnest(g_id[1:g_touched], g_rem[1:g_touched]) AS u(id, rem)
       WHERE cg.id = u.id AND cg.remaining <> u.rem;
    END IF;
    INSERT INTO spend_counters (team_id, scope, month, credits) VALUES (p_team, 'team', v_month, v_total)
      ON CONFLICT (team_id, scope, month) DO UPDATE SET credits = spend_counters.credits + EXCLUDED.credits;
    INSERT INTO spend_counters (team_id, scope, month, credits)
    SELECT p_team, e_kid[s.i], v_month, sum(o_amt[s.i])
      FROM generate_series(1, v_n) AS s(i)
     WHERE o_status[s.i] = 'debited' AND e_kid[s.i] IS NOT NULL
     GROUP BY e_kid[s.i]
    ON CONFLICT (team_id, scope, month) DO UPDATE SET credits = spend_counters.credits + EXCLUDED.credits;
    INSERT INTO usage_rollups (team_id, day, operation, quantity, credits, events)
    SELECT p_team, (COALESCE(e_at[s.i], v_now) AT TIME ZONE 'UTC')::date, e_op[s.i], sum(COALESCE(e_qty[s.i], 0)), sum(o_amt[s.i]), count(*)
      FROM generate_series(1, v_n) AS s(i)
     WHERE o_status[s.i] = 'debited' AND e_op[s.i] IS NOT NULL
     GROUP BY 2, 3
    ON CONFLICT (team_id, day, operation) DO UPDATE SET quantity = usage_rollups.quantity + EXCLUDED.quantity,
      credits = usage_rollups.credits + EXCLUDED.credits, events = usage_rollups.events + EXCLUDED.events;
    IF tb_id IS NOT NULL THEN
      PERFORM cd_budget_cross(tb_id, tb_cap, v_spend0, v_spend, v_month, v_now);
    END IF;
    FOR kp IN 1..COALESCE(cardinality(kb_id), 0) LOOP
      IF kb_spend[kp] <> kb_spend0[kp] THEN
        PERFORM cd_budget_cross(kb_id[kp], kb_cap[kp], kb_spend0[kp], kb_spend[kp], v_month, v_now);
      END IF;
    END LOOP;
  END IF;

  RETURN QUERY SELECT s.i, o_status[s.i], o_id[s.i], o_amt[s.i], o_bal[s.i], o_code[s.i] FROM generate_series(1, v_n) AS s(i) ORDER BY s.i;
END;
$$;

-- The seed's FCU weights, as the default price table (credits per unit).
INSERT INTO operation_prices (operation, credits_per_unit, description) VALUES
  ('add', 1, 'Homomorphic addition'),
  ('negate', 1, 'Negation'),
  ('rescale', 1, 'Rescale'),
  ('add-plain', 1, 'Addition with a plaintext'),
  ('multiply-plain', 2, 'Multiplication by a plaintext'),
  ('multiply', 5, 'Homomorphic multiplication'),
  ('rotate', 5, 'Rotation'),
  ('key_switch', 5, 'Key switching'),
  ('poly-eval', 10, 'Polynomial evaluation'),
  ('matmul', 20, 'Matrix multiplication'),
  ('bootstrap', 50, 'Bootstrapping'),
  ('infer_7b', 100, 'Inference, 7B model'),
  ('infer_70b', 1000, 'Inference, 70B model')
ON CONFLICT (operation) DO NOTHING;
