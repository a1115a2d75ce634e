-- Billing history that pages in constant time (GET /api/v3/account/billings).
--
-- Every ledger entry gets two dense positions, assigned under the team's row lock in the transaction that writes it:
--   team_seq  1, 2, 3, ... per team, in commit order
--   type_seq  1, 2, 3, ... per team and history_type (topup, usage, grant, refund, dispute, expiry, adjustment, statement)
-- so page N of a team's history (or of one type) is a range of one unique index, and its total is the highest position.
--
-- Dates: created_at is read after the lock, so it rises with team_seq, except where a writer passes its own clock
-- (p_now: jobs and tests) or the clock steps back. Such an entry, older than one written before it, is `late`. The
-- entries that are not late rise with team_seq (and with type_seq), so a range of UTC days is one range of positions:
-- from the first position of its first day to the one before the first position of the next day after it
-- (ledger_history_days keeps each team's, type's and day's first positions); the few late entries are looked at one by
-- one (lib/billing/history/list-billings.ts).
--
-- cd_debit_batch (the usage hot path) assigns the positions of a whole batch with three index probes; every other
-- writer (cd_credit, cd_take, expiry, rows inserted by hand) gets them from the row trigger, which locks the team
-- itself. A day's first positions are kept by a statement trigger over the rows each INSERT wrote, whoever the writer.

-- The history type of a ledger kind (the API's `type`); lib/billing/history/history-types.ts holds the same table.
CREATE FUNCTION cd_history_type(p_kind "LedgerKind") RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE p_kind
    WHEN 'TOPUP' THEN 'topup' WHEN 'PURCHASE' THEN 'topup' WHEN 'AUTO_TOPUP' THEN 'topup'
    WHEN 'USAGE' THEN 'usage'
    WHEN 'PLAN_GRANT' THEN 'grant' WHEN 'TRIAL_GRANT' THEN 'grant' WHEN 'COUPON' THEN 'grant' WHEN 'PROMO_BONUS' THEN 'grant'
    WHEN 'REFUND' THEN 'refund' WHEN 'REFUND_REVERSAL' THEN 'refund'
    WHEN 'DISPUTE' THEN 'dispute' WHEN 'DISPUTE_REVERSAL' THEN 'dispute'
    WHEN 'EXPIRY' THEN 'expiry'
    WHEN 'ADJUSTMENT' THEN 'adjustment'
    WHEN 'CREDIT_LINE_STATEMENT' THEN 'statement'
    ELSE lower(p_kind::text)
  END
$$;

ALTER TABLE "ledger_entries" ADD COLUMN "history_type" TEXT NOT NULL DEFAULT '';
ALTER TABLE "ledger_entries" ADD COLUMN "team_seq" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "ledger_entries" ADD COLUMN "type_seq" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "ledger_entries" ADD COLUMN "late" BOOLEAN NOT NULL DEFAULT false;

-- Existing entries in their history order (created_at, seq): none is late.
UPDATE "ledger_entries" le
   SET history_type = n.history_type, team_seq = n.team_seq, type_seq = n.type_seq
  FROM (SELECT id, cd_history_type(kind) AS history_type,
               row_number() OVER (PARTITION BY team_id ORDER BY created_at, seq) AS team_seq,
               row_number() OVER (PARTITION BY team_id, cd_history_type(kind) ORDER BY created_at, seq) AS type_seq
          FROM "ledger_entries") n
 WHERE le.id = n.id;

ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_history_positions"
  CHECK (team_seq > 0 AND type_seq > 0 AND history_type = cd_history_type(kind));

CREATE UNIQUE INDEX "ledger_entries_team_id_team_seq_key" ON "ledger_entries"("team_id", "team_seq");
CREATE UNIQUE INDEX "ledger_entries_team_id_history_type_type_seq_key" ON "ledger_entries"("team_id", "history_type", "type_seq");
-- The late entries, few: each is looked at by the date-filtered reads.
CREATE INDEX "ledger_entries_late_idx" ON "ledger_entries"("team_id", "team_seq") WHERE "late";

-- The first positions of a team's entries of one type and UTC day (created_at) that are not late, in the team's sequence
-- and in the type's. A few rows per team and day, each written once: later entries of the day come after it.
CREATE TABLE "ledger_history_days" (
    "team_id" TEXT NOT NULL,
    "history_type" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "first_team_seq" BIGINT NOT NULL,
    "first_type_seq" BIGINT NOT NULL,
    CONSTRAINT "ledger_history_days_pkey" PRIMARY KEY ("team_id", "history_type", "day")
);
CREATE INDEX "ledger_history_days_team_id_day_idx" ON "ledger_history_days"("team_id", "day");
ALTER TABLE "ledger_history_days" ADD CONSTRAINT "ledger_history_days_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "ledger_history_days" (team_id, history_type, day, first_team_seq, first_type_seq)
SELECT team_id, history_type, (created_at AT TIME ZONE 'UTC')::date, min(team_seq), min(type_seq)
  FROM "ledger_entries" WHERE NOT late GROUP BY 1, 2, 3;

-- Notes the first positions of each type's day that the rows one INSERT wrote start (only rows written: an INSERT that
-- skips a row skips it here too). Entries not late come in position order and never go back a day, so the first row
-- written for a day holds its first positions; the writer holds the team's row lock, so nobody writes one meanwhile.
CREATE FUNCTION cd_ledger_history_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_history_days (team_id, history_type, day, first_team_seq, first_type_seq)
  SELECT n.team_id, n.history_type, (n.created_at AT TIME ZONE 'UTC')::date, min(n.team_seq), min(n.type_seq)
    FROM new_rows n WHERE NOT n.late GROUP BY 1, 2, 3
  ON CONFLICT (team_id, history_type, day) DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "ledger_entries_history_days" AFTER INSERT ON "ledger_entries"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cd_ledger_history_days();

-- The team's last positions and the latest created_at so far (-infinity for none). The caller holds the team row lock.
CREATE FUNCTION cd_history_head(p_team text, p_type text, OUT team_seq bigint, OUT type_seq bigint, OUT max_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT COALESCE((SELECT le.team_seq FROM ledger_entries le WHERE le.team_id = p_team ORDER BY le.team_seq DESC LIMIT 1), 0),
         COALESCE((SELECT le.type_seq FROM ledger_entries le WHERE le.team_id = p_team AND le.history_type = p_type ORDER BY le.type_seq DESC LIMIT 1), 0),
         COALESCE((SELECT le.created_at FROM ledger_entries le WHERE le.team_id = p_team ORDER BY le.created_at DESC LIMIT 1), '-infinity'::timestamptz)
    INTO team_seq, type_seq, max_at;
END;
$$;

-- Positions for an entry inserted without them. Locks the team row first (a no-op for writers that hold it already), so
-- two writers never take the same position; the unique indexes above would refuse it anyway.
CREATE FUNCTION cd_ledger_history_positions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  h record;
BEGIN
  PERFORM 1 FROM teams t WHERE t.id = NEW.team_id FOR UPDATE;
  NEW.history_type := cd_history_type(NEW.kind);
  SELECT * INTO h FROM cd_history_head(NEW.team_id, NEW.history_type);
  NEW.team_seq := h.team_seq + 1;
  NEW.type_seq := h.type_seq + 1;
  NEW.late := NEW.created_at < h.max_at;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "ledger_entries_history_positions" BEFORE INSERT ON "ledger_entries"
  FOR EACH ROW WHEN (NEW.team_seq = 0) EXECUTE FUNCTION cd_ledger_history_positions();

-- cd_debit_batch as in 20261129000000_statements, plus the history positions of the entries it writes.
CREATE OR REPLACE FUNCTION cd_debit_batch(p_team text, p_events jsonb, p_now timestamptz DEFAULT NULL)
RETURNS TABLE(r_ord integer, r_status text, r_entry_id text, r_amount bigint, r_balance_after bigint, r_code text)
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_floor bigint;
  v_unpaid_from timestamptz;
  v_unpaid boolean;
  v_suspended boolean;
  v_open_floor bigint;
  v_now timestamptz;
  v_month text;
  v_n integer;
  e_key text[]; e_amt bigint[]; e_op text[]; e_qty bigint[]; e_kid text[]; e_at timestamptz[]; e_meta jsonb[]; e_desc text[];
  e_first integer[]; x_id text[]; x_amt bigint[]; x_bal bigint[];
  v_ok boolean[]; v_code text[];
  v_fresh_total bigint;
  v_bad boolean;
  g_id text[]; g_end bigint[];
  tb_id text; tb_cap bigint; tb_block boolean := false;
  kb_scope text[]; kb_id text[]; kb_cap bigint[]; kb_block boolean[]; kb_spend0 bigint[]; kb_spend bigint[]; kp integer;
  v_spend0 bigint;
  v_total bigint := 0;
  v_bal bigint;
  i integer; a bigint;
  h_seq bigint; h_type_seq bigint; h_max_at timestamptz;
BEGIN
  SELECT t.balance, -(t.credit_limit_credits + t.overage_limit_credits), t.unpaid_from, t.draw_suspended_at IS NOT NULL
    INTO v_balance, v_floor, v_unpaid_from, v_suspended FROM teams t WHERE t.id = p_team FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT o.ord::integer, 'rejected'::text, NULL::text, NULL::bigint, NULL::bigint, 'NOT_FOUND'::text
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS o(v, ord) ORDER BY o.ord;
    RETURN;
  END IF;
  v_now := COALESCE(p_now, clock_timestamp());
  v_month := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM');
  v_unpaid := v_unpaid_from IS NOT NULL AND v_unpaid_from <= v_now;
  v_open_floor := v_floor;
  IF v_suspended THEN v_floor := 0; END IF;

  IF EXISTS (SELECT 1 FROM credit_grants cg WHERE cg.team_id = p_team AND cg.expires_at <= v_now AND cg.expired_at IS NULL) THEN
    PERFORM cd_expire_grants_locked(p_team, v_now);
    SELECT t.balance INTO v_balance FROM teams t WHERE t.id = p_team;
  END IF;

  -- The events in order, each with the first position of its key in the batch and any earlier entry with that key.
  -- EXECUTE plans this on every call with the table's real size: a cached plan made while ledger_entries was small can
  -- probe the wrong index and scan all of the team's entries per key.
  EXECUTE $q$
    SELECT array_agg(x.k ORDER BY x.ord), array_agg(x.a ORDER BY x.ord), array_agg(x.op ORDER BY x.ord), array_agg(x.q ORDER BY x.ord),
           array_agg(x.kid ORDER BY x.ord), array_agg(x.at ORDER BY x.ord), array_agg(x.m ORDER BY x.ord), array_agg(x.d ORDER BY x.ord),
           array_agg(x.first_ord::integer ORDER BY x.ord), array_agg(le.id ORDER BY x.ord), array_agg(-le.amount ORDER BY x.ord),
           array_agg(le.balance_after ORDER BY x.ord), array_agg(le.id IS NULL AND x.first_ord = x.ord ORDER BY x.ord),
           count(*)::integer, COALESCE(sum(x.a) FILTER (WHERE le.id IS NULL AND x.first_ord = x.ord), 0)::bigint,
           COALESCE(bool_or(x.k IS NULL OR x.a IS NULL OR x.a < 0), false)
      FROM (SELECT r.*, min(r.ord) OVER (PARTITION BY r.k COLLATE "C") AS first_ord
              FROM ROWS FROM (jsonb_to_recordset($2) AS (k text, a bigint, op text, q bigint, kid text, at timestamptz, m jsonb, d text))
                   WITH ORDINALITY AS r(k, a, op, q, kid, at, m, d, ord)) x
      LEFT JOIN LATERAL (SELECT l.id, l.amount, l.balance_after FROM ledger_entries l
                          WHERE l.team_id = $1 AND l.idempotency_key = x.k LIMIT 1) le ON true
  $q$
    INTO e_key, e_amt, e_op, e_qty, e_kid, e_at, e_meta, e_desc, e_first, x_id, x_amt, x_bal, v_ok, v_n, v_fresh_total, v_bad
    USING p_team, p_events;
  IF v_n = 0 THEN RETURN; END IF;
  IF v_bad THEN
    RAISE EXCEPTION 'cd_debit_batch: every event needs a key and a non-negative amount' USING ERRCODE = '22023';
  END IF;

  SELECT COALESCE(sum(sc.credits), 0) INTO v_spend0 FROM spend_counters sc WHERE sc.team_id = p_team AND sc.scope = 'team' AND sc.month = v_month;
  SELECT b.id, b.monthly_cap_credits, (b.hard_cap OR NOT b.allow_soft_overage) INTO tb_id, tb_cap, tb_block
    FROM budgets b WHERE b.team_id = p_team AND b.scope = 'team';
  tb_block := COALESCE(tb_block, false);
  IF EXISTS (SELECT 1 FROM unnest(e_kid) AS u(kid) WHERE u.kid IS NOT NULL) THEN
    SELECT array_agg(b.scope), array_agg(b.id), array_agg(b.monthly_cap_credits), array_agg(b.hard_cap OR NOT b.allow_soft_overage),
           array_agg(COALESCE(sc.credits, 0))
      INTO kb_scope, kb_id, kb_cap, kb_block, kb_spend0
      FROM budgets b LEFT JOIN spend_counters sc ON sc.team_id = b.team_id AND sc.scope = b.scope AND sc.month = v_month
     WHERE b.team_id = p_team AND b.scope <> 'team' AND b.scope = ANY(e_kid);
  END IF;
  kb_spend := kb_spend0;

  IF NOT v_unpaid AND v_balance - v_fresh_total >= v_floor AND NOT (tb_block AND v_spend0 + v_fresh_total > tb_cap) AND kb_id IS NULL THEN
    v_total := v_fresh_total; -- everything new fits: v_ok already marks exactly the new debits
  ELSE
    -- Decide debit by debit, in order.
    v_bal := v_balance;
    v_code := array_fill(NULL::text, ARRAY[v_n]);
    FOR i IN 1..v_n LOOP
      IF x_id[i] IS NOT NULL THEN
        CONTINUE;
      ELSIF e_first[i] <> i THEN
        v_code[i] := v_code[e_first[i]];
      ELSE
        a := e_amt[i];
        kp := CASE WHEN e_kid[i] IS NULL OR kb_scope IS NULL THEN NULL ELSE array_position(kb_scope, e_kid[i]) END;
        IF v_unpaid THEN
          v_ok[i] := false; v_code[i] := 'SUBSCRIPTION_UNPAID';
        ELSIF v_bal - a < v_floor THEN
          v_ok[i] := false; v_code[i] := CASE WHEN v_suspended AND v_bal - a >= v_open_floor THEN 'DRAW_SUSPENDED' ELSE 'INSUFFICIENT_CREDITS' END;
        ELSIF tb_block AND v_spend0 + v_total + a > tb_cap THEN
          v_ok[i] := false; v_code[i] := 'BUDGET_HARD_CAP_HIT';
        ELSIF kp IS NOT NULL AND kb_block[kp] AND kb_spend[kp] + a > kb_cap[kp] THEN
          v_ok[i] := false; v_code[i] := 'BUDGET_HARD_CAP_HIT';
        ELSE
          v_bal := v_bal - a;
          v_total := v_total + a;
          IF kp IS NOT NULL THEN kb_spend[kp] := kb_spend[kp] + a; END IF;
        END IF;
      END IF;
    END LOOP;
  END IF;

  IF v_total > 0 THEN
    IF v_balance > 0 THEN
      -- Grants in drain order with the running end of each: the grant an entry starts in is found by width_bucket.
      SELECT array_agg(g.id ORDER BY g.n), array_agg(g.g_end ORDER BY g.n) INTO g_id, g_end
        FROM (SELECT cg.id, row_number() OVER w AS n, (sum(cg.remaining) OVER w)::bigint AS g_end
                FROM credit_grants cg WHERE cg.team_id = p_team AND cg.remaining > 0
              WINDOW w AS (ORDER BY cg.expires_at ASC NULLS LAST, cg.priority, cg.created_at, cg.id)) g;
    END IF;
    UPDATE teams SET balance = v_balance - v_total, updated_at = v_now WHERE id = p_team;
    IF g_id IS NOT NULL THEN
      UPDATE credit_grants cg SET remaining = GREATEST(u.g_end - v_total, 0)
        FROM unnest(g_id, g_end) AS u(id, g_end)
       WHERE cg.id = u.id AND u.g_end - cg.remaining < v_total;
    END IF;
    IF tb_id IS NOT NULL THEN
      PERFORM cd_budget_cross(tb_id, tb_cap, v_spend0, v_spend0 + v_total, v_month, v_now);
    END IF;
    FOR kp IN 1..COALESCE(cardinality(kb_id), 0) LOOP
      IF kb_spend[kp] <> kb_spend0[kp] THEN
        PERFORM cd_budget_cross(kb_id[kp], kb_cap[kp], kb_spend0[kp], kb_spend[kp], v_month, v_now);
      END IF;
    END LOOP;
  END IF;

  -- The history positions of the new entries: the team row is locked, so nobody else takes them meanwhile.
  IF true = ANY(v_ok) THEN
    SELECT h.team_seq, h.type_seq, h.max_at INTO h_seq, h_type_seq, h_max_at FROM cd_history_head(p_team, 'usage') h;
  END IF;

  -- One statement writes the accepted entries, the spend counters and the rollups, and answers every event.
  RETURN QUERY
  WITH ev AS (
    SELECT * FROM unnest(e_key, e_amt, e_op, e_qty, e_kid, e_at, e_meta, e_desc, e_first, x_id, x_amt, x_bal, v_ok, v_code)
      WITH ORDINALITY AS u(k, a, op, q, kid, at, m, d, f, xid, xamt, xbal, ok, code, i)
  ), fresh AS (
    SELECT ev.*, cd_id('le') AS id, (sum(ev.a) OVER (ORDER BY ev.i))::bigint AS cum, row_number() OVER (ORDER BY ev.i) AS rn FROM ev WHERE ev.ok
  ), ins AS (
    INSERT INTO ledger_entries (id, team_id, kind, amount, balance_after, idempotency_key, grant_id, operation, quantity, api_key_id,
                                description, metadata, occurred_at, created_at, history_type, team_seq, type_seq, late)
    SELECT fr.id, p_team, 'USAGE', -fr.a, v_balance - fr.cum, fr.k, g_id[width_bucket(fr.cum - fr.a, g_end) + 1], fr.op, fr.q, fr.kid,
           fr.d, fr.m, COALESCE(fr.at, v_now), v_now, 'usage', h_seq + fr.rn, h_type_seq + fr.rn, v_now < h_max_at
      FROM fresh fr ORDER BY fr.i
  ), team_spend AS (
    INSERT INTO spend_counters (team_id, scope, month, credits)
    SELECT p_team, 'team', v_month, v_total WHERE v_total > 0 OR EXISTS (SELECT 1 FROM fresh)
    ON CONFLICT (team_id, scope, month) DO UPDATE SET credits = spend_counters.credits + EXCLUDED.credits
  ), key_spend AS (
    INSERT INTO spend_counters (team_id, scope, month, credits)
    SELECT p_team, fr.kid, v_month, sum(fr.a) FROM fresh fr WHERE fr.kid IS NOT NULL GROUP BY fr.kid
    ON CONFLICT (team_id, scope, month) DO UPDATE SET credits = spend_counters.credits + EXCLUDED.credits
  ), rollups AS (
    INSERT INTO usage_rollups (team_id, day, operation, quantity, credits, events)
    SELECT p_team, (COALESCE(fr.at, v_now) AT TIME ZONE 'UTC')::date, fr.op, sum(COALESCE(fr.q, 0)), sum(fr.a), count(*)
      FROM fresh fr WHERE fr.op IS NOT NULL GROUP BY 2, 3
    ON CONFLICT (team_id, day, operation) DO UPDATE SET quantity = usage_rollups.quantity + EXCLUDED.quantity,
      credits = usage_rollups.credits + EXCLUDED.credits, events = usage_rollups.events + EXCLUDED.events
  )
  SELECT ev.i::integer,
         CASE WHEN ev.xid IS NOT NULL OR (NOT ev.ok AND fr.id IS NOT NULL) THEN 'duplicate' WHEN ev.ok THEN 'debited' ELSE 'rejected' END,
         COALESCE(ev.xid, fr.id), COALESCE(ev.xamt, fr.a), COALESCE(ev.xbal, v_balance - fr.cum),
         CASE WHEN ev.xid IS NULL AND fr.id IS NULL THEN ev.code END
    FROM ev LEFT JOIN fresh fr ON fr.i = ev.f
   ORDER BY ev.i;
END;
$$;
