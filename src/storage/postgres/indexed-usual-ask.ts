/**
 * Migration 12: the lean ask's test for the usual ask walks the study's index instead of the trials table.
 *
 * `parzen_ask_lean` (migration 11) took its usual path (the trial it created is the only one above the caller's
 * cursor) after `(SELECT count(*) FROM (SELECT 1 FROM trials x WHERE x.study_id = p_study AND x.trial_id > p_after
 * LIMIT 2) y) = 1`. A store connection's cached generic plan for it knows neither bound, so it expects a third of
 * the table above the cursor and picks a sequential scan under the LIMIT, expecting to stop after a few rows; but
 * the trials above the cursor are the newest, at the end of the table, so the scan read every older trial of the
 * table first: O(n) per ask (its server time 0.41 → 1.84 ms from 1,000 to 20,000 trials, docs/benchmarks/store.md,
 * session 29 (s29-sugg)), in a database whose statistics hold one study (with many studies the planner already
 * preferred an index). Here the two rows are taken in `trial_id` order: a sequential scan would then have to read and
 * sort every row, so the plans, generic and custom, walk an index of `trial_id` from the cursor (the primary key, in
 * the plans seen: it reads the trials any study created since the caller's last ask, at most two of this one) whatever
 * the study's size. Plans before and after: docs/benchmarks/store.md, session 30 (s30-pg).
 *
 * Everything else is migration 11's function as it was: arguments, locks, claims, reaps, numbers, tokens, commit
 * modes and the 9 columns. `parzen_ask_trial` (migration 9) keeps its test: the store calls it only for a first read
 * (cursor 0), whose read returns the whole study in the same statement anyway. Never edit this migration once
 * released: append one.
 */
export const INDEXED_USUAL_ASK_SQL = `
CREATE OR REPLACE FUNCTION parzen_ask_lean(p_study BIGINT, p_claim_as TEXT, p_worker TEXT, p_now BIGINT, p_seed BIGINT, p_code TEXT,
    p_budget TEXT, p_retry_of BIGINT, p_lease_ms FLOAT8, p_max_active INT, p_token TEXT, p_retry BOOLEAN,
    p_after BIGINT, p_also BIGINT[], p_held BIGINT[], p_reaper TEXT, p_retries INT)
  RETURNS TABLE (ask_status TEXT, ask_n_active INT, ask_trial BIGINT, ask_claimed BOOLEAN, ask_reaped BIGINT[], name TEXT, "maxId" BIGINT,
    ask_number BIGINT, trial json)
  LANGUAGE plpgsql AS $f$
#variable_conflict use_column
DECLARE v_status TEXT; v_name TEXT; v_n_active INT; v_trial BIGINT; v_number BIGINT; v_claimed BOOLEAN := false; v_created BOOLEAN := false; v_also BIGINT[];
  v_reaped BIGINT[] := '{}'; c RECORD;
BEGIN
  IF p_reaper IS NOT NULL THEN
    SELECT r.ids INTO v_reaped FROM parzen_reap_expired(p_study, p_now, p_reaper, COALESCE(p_retries, 0)) r;
  END IF;
  IF p_retry THEN
    PERFORM 1 FROM studies s WHERE s.study_id = p_study FOR UPDATE;
    SELECT t.trial_id, t.state = 'RUNNING' AND t.owner_token IS NULL INTO v_trial, v_claimed
      FROM trials t WHERE t.study_id = p_study AND t.write_token = p_token;
    IF FOUND THEN v_status := 'ok'; ELSE v_claimed := false; END IF;
  END IF;
  IF v_status IS NULL AND p_claim_as IS NOT NULL AND EXISTS (SELECT 1 FROM trials w WHERE w.study_id = p_study AND w.state = 'WAITING') THEN
    SELECT * INTO c FROM parzen_claim_waiting(p_study, p_claim_as, p_now, p_lease_ms, p_token, p_max_active);
    IF c.status <> 'ok' OR c.claimed IS NOT NULL THEN
      v_status := c.status; v_name := c.study_name; v_n_active := c.n_active; v_trial := c.claimed; v_claimed := c.claimed IS NOT NULL;
    END IF;
  END IF;
  IF v_status IS NULL AND p_max_active IS NOT NULL THEN
    SELECT * INTO c FROM parzen_create_trial(p_study, 'RUNNING', p_now, p_worker, p_seed, p_code, p_budget, p_retry_of, p_lease_ms,
      p_max_active, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', p_token, false);
    v_status := c.status; v_name := c.study_name; v_n_active := c.n_active; v_trial := c.new_trial; v_number := c.trial_number;
    v_created := v_status = 'ok';
  ELSIF v_status IS NULL THEN
    UPDATE studies s SET next_trial_number = s.next_trial_number + 1 WHERE s.study_id = p_study
      RETURNING s.name, s.next_trial_number - 1 INTO v_name, v_number;
    IF NOT FOUND THEN
      v_status := 'no_study';
    ELSE
      INSERT INTO trials (study_id, number, state, datetime_start, worker, seed, code_version, budget_json, retry_of, lease_expires, write_token, owner_token)
        VALUES (p_study, v_number, 'RUNNING', p_now, p_worker, p_seed, p_code, p_budget, p_retry_of,
          now() + make_interval(secs => p_lease_ms / 1000), p_token, p_token)
        RETURNING trial_id INTO v_trial;
      PERFORM set_config('synchronous_commit', 'off', true);
      v_status := 'ok'; v_created := true;
    END IF;
  END IF;
  IF cardinality(v_reaped) > 0 THEN PERFORM set_config('synchronous_commit', 'on', true); END IF;
  v_also := CASE WHEN cardinality(v_reaped) = 0 THEN p_also
    ELSE p_also || ARRAY(SELECT x FROM unnest(v_reaped) x WHERE x <= p_after AND NOT (x = ANY (p_also))) END;
  IF v_status <> 'ok' THEN
    RETURN QUERY SELECT v_status, v_n_active, NULL::BIGINT, false, v_reaped, v_name, NULL::BIGINT, NULL::BIGINT, NULL::json;
    RETURN;
  END IF;
  -- The usual ask: the trial created is the only one above the cursor. The first two ids above it, in index order
  -- (ORDER BY keeps every plan on an index of trial_id: a scan of the table would have to sort all of it).
  IF v_created AND cardinality(v_also) = 0 AND v_trial > p_after
      AND (SELECT count(*) FROM (SELECT 1 FROM trials x WHERE x.study_id = p_study AND x.trial_id > p_after ORDER BY x.trial_id LIMIT 2) y) = 1 THEN
    RETURN QUERY SELECT v_status, v_n_active, v_trial, false, CASE WHEN cardinality(v_reaped) > 0 THEN v_reaped END, v_name, v_trial, v_number, NULL::json;
    RETURN;
  END IF;
  v_also := CASE WHEN v_trial <= p_after AND NOT (v_trial = ANY (v_also)) THEN v_also || v_trial ELSE v_also END;
  RETURN QUERY
  WITH t AS (
    SELECT * FROM trials x WHERE x.study_id = p_study AND x.trial_id > p_after AND x.trial_id <> ALL (p_held) AND x.trial_id <> ALL (v_also)
    UNION ALL
    SELECT * FROM trials x WHERE cardinality(v_also) > 0 AND x.trial_id = ANY (v_also) AND (x.study_id = p_study) IS TRUE)
  SELECT v_status, v_n_active, v_trial, v_claimed, v_reaped, s.name,
    (SELECT max(m.trial_id) FROM trials m WHERE m.study_id = p_study AND m.trial_id > p_after), NULL::BIGINT,
    CASE WHEN t.trial_id IS NOT NULL THEN json_build_object(
      'trialId', t.trial_id, 'studyId', t.study_id, 'number', t.number, 'state', t.state, 'value', t.value,
      'datetimeStart', t.datetime_start, 'datetimeComplete', t.datetime_complete, 'heartbeat', t.heartbeat,
      'errorMessage', t.error_message, 'errorStack', t.error_stack, 'errorCode', t.error_code, 'worker', t.worker,
      'seed', t.seed, 'codeVersion', t.code_version, 'budgetJson', t.budget_json, 'retryOf', t.retry_of,
      'p', COALESCE(p.p, '[]'), 'v', COALESCE(v.v, '[]'), 'a', COALESCE(at.a, '[]')) END
  FROM studies s LEFT JOIN (t
    LEFT JOIN LATERAL (SELECT json_agg(json_build_array(tp.name, tp.internal, d.hash, tp.distribution_id) ORDER BY tp.name) AS p
        FROM trial_params tp JOIN distributions d ON d.distribution_id = tp.distribution_id WHERE tp.trial_id = t.trial_id) p ON true
    LEFT JOIN LATERAL (SELECT json_agg(json_build_array(iv.step, iv.value)) AS v FROM trial_intermediate_values iv WHERE iv.trial_id = t.trial_id) v ON true
    LEFT JOIN LATERAL (SELECT json_agg(json_build_array(ta.kind, ta.key, ta.value_json)) AS a FROM trial_attrs ta WHERE ta.trial_id = t.trial_id) at ON true)
    ON true
  WHERE s.study_id = p_study ORDER BY t.number;
END $f$;
`;
