/**
 * Migration 9: the ask and the finish do their work in their own bodies, in fewer statements.
 *
 * Every ask tested whether the study has an enqueued (WAITING) trial with a plan, cached per connection, that
 * walked the (study_id, trial_id) index and fetched every trial of the study to test its state: O(n) per ask, so
 * O(n²) per study (the ask's server time 0.23 → 0.48 ms from 300 to 1,800 trials; 0.12 ms flat with this
 * migration: scripts/bench/pg-function-cost.mjs). The partial index
 * `trials_study_waiting` holds only the WAITING trials, so that test and the claim's pick of the lowest-numbered
 * one read only those; RUNNING and finished trials never enter it.
 *
 * Every PL/pgSQL call from PL/pgSQL (`PERFORM f(…)`, `x := f(…)`) is a statement of its own: an executor started
 * and ended around a function call that sets up its own frame before its first statement runs. The ask of a trial
 * ran 9 such statements, 2 of them calls, and the finish 14, 5 of them calls (lock, params and attributes, param
 * insert, attribute insert, trial JSON). Here, with the same signatures, results, locks and commit modes:
 *
 * - the ask's create, when no bound is given (`p_max_active` NULL; a bound still goes through
 *   `parzen_create_trial`, which counts under the study row's lock), is one UPDATE of the study row, which takes
 *   that lock and the trial's number at once (READ COMMITTED re-reads the row it waited for, as the SELECT … FOR
 *   UPDATE before it did), and the INSERT of the trial;
 * - the usual ask (a trial created, none read again, no other trial above the caller's cursor) returns the new
 *   trial's row from what it inserted instead of running the read, whose plan (a sort over nested loops, three
 *   aggregates, an append of two scans) took longer to start than to run for that one row; the read's snapshot
 *   would hold exactly that row, as the two-entry index probe of the cursor's range checks;
 * - the read's branch for trials the caller saw unfinished runs only when there are some (`cardinality` is a
 *   one-time filter of the cached plan): it is a scan of the whole trials table in a plan chosen while the table was
 *   small, and ran on every ask although the usual ask has none (the trial it told last is held, not unfinished);
 * - the finish locks and checks the trial, writes params and attributes, and sets the result in its own body, and
 *   its UPDATE returns the trial's JSON (the RETURNING list's subqueries see the params just inserted: each
 *   statement of a function takes a new snapshot).
 *
 * The functions of migrations 2–7 stay for the other writes (creates with params, claims, trial writes, reaps).
 * Never edit this migration once released: append one.
 */
export const LEAN_LIFECYCLE_SQL = `
CREATE INDEX trials_study_waiting ON trials (study_id, number) WHERE state = 'WAITING';

CREATE OR REPLACE FUNCTION parzen_ask_trial(p_study BIGINT, p_claim_as TEXT, p_worker TEXT, p_now BIGINT, p_seed BIGINT, p_code TEXT,
    p_budget TEXT, p_retry_of BIGINT, p_lease_ms FLOAT8, p_max_active INT, p_token TEXT, p_retry BOOLEAN,
    p_after BIGINT, p_also BIGINT[], p_held BIGINT[], p_reaper TEXT, p_retries INT)
  RETURNS TABLE (ask_status TEXT, ask_n_active INT, ask_trial BIGINT, ask_claimed BOOLEAN, ask_reaped BIGINT[], name TEXT, "maxId" BIGINT,
    "trialId" BIGINT, "studyId" BIGINT, number BIGINT, state TEXT, value FLOAT8, "datetimeStart" BIGINT, "datetimeComplete" BIGINT,
    heartbeat BIGINT, "errorMessage" TEXT, "errorStack" TEXT, "errorCode" TEXT, worker TEXT, seed BIGINT, "codeVersion" TEXT,
    "budgetJson" TEXT, "retryOf" BIGINT, pn TEXT[], pi FLOAT8[], ph TEXT[], pd BIGINT[], vs BIGINT[], vx FLOAT8[], a json)
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
    -- parzen_create_trial without a bound: the study row's lock and the trial's number in one statement.
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
    RETURN QUERY SELECT v_status, v_n_active, NULL::BIGINT, false, v_reaped, v_name, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT,
      NULL::TEXT, NULL::FLOAT8, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::BIGINT,
      NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::TEXT[], NULL::FLOAT8[], NULL::TEXT[], NULL::BIGINT[], NULL::BIGINT[], NULL::FLOAT8[], NULL::json;
    RETURN;
  END IF;
  -- The usual ask: nothing the caller must re-read, and no trial above its cursor but the one just created, which
  -- has no params, values or attributes yet. Its row is what was inserted; the full read below would return only it.
  IF v_created AND cardinality(v_also) = 0 AND v_trial > p_after
      AND (SELECT count(*) FROM (SELECT 1 FROM trials x WHERE x.study_id = p_study AND x.trial_id > p_after LIMIT 2) y) = 1 THEN
    RETURN QUERY SELECT v_status, v_n_active, v_trial, false, v_reaped, v_name, v_trial, v_trial, p_study, v_number, 'RUNNING'::TEXT,
      NULL::FLOAT8, p_now, NULL::BIGINT, NULL::BIGINT, NULL::TEXT, NULL::TEXT, NULL::TEXT, p_worker, p_seed, p_code, p_budget, p_retry_of,
      NULL::TEXT[], NULL::FLOAT8[], NULL::TEXT[], NULL::BIGINT[], NULL::BIGINT[], NULL::FLOAT8[], NULL::json;
    RETURN;
  END IF;
  v_also := CASE WHEN v_trial <= p_after AND NOT (v_trial = ANY (v_also)) THEN v_also || v_trial ELSE v_also END;
  RETURN QUERY
  WITH t AS (
    SELECT * FROM trials x WHERE x.study_id = p_study AND x.trial_id > p_after AND x.trial_id <> ALL (p_held) AND x.trial_id <> ALL (v_also)
    UNION ALL
    -- IS TRUE keeps the study's index out of this branch's plan: these few ids are found by primary key; the
    -- cardinality test is a one-time filter, so the branch costs nothing when there are none.
    SELECT * FROM trials x WHERE cardinality(v_also) > 0 AND x.trial_id = ANY (v_also) AND (x.study_id = p_study) IS TRUE)
  SELECT v_status, v_n_active, v_trial, v_claimed, v_reaped, s.name,
    (SELECT max(m.trial_id) FROM trials m WHERE m.study_id = p_study AND m.trial_id > p_after),
    t.trial_id, t.study_id, t.number, t.state, t.value, t.datetime_start, t.datetime_complete, t.heartbeat, t.error_message,
    t.error_stack, t.error_code, t.worker, t.seed, t.code_version, t.budget_json, t.retry_of, p.pn, p.pi, p.ph, p.pd, v.vs, v.vx, at.a
  FROM studies s LEFT JOIN (t
    LEFT JOIN LATERAL (SELECT array_agg(tp.name) AS pn, array_agg(tp.internal) AS pi, array_agg(d.hash) AS ph, array_agg(tp.distribution_id) AS pd
        FROM trial_params tp JOIN distributions d ON d.distribution_id = tp.distribution_id WHERE tp.trial_id = t.trial_id) p ON true
    LEFT JOIN LATERAL (SELECT array_agg(iv.step) AS vs, array_agg(iv.value) AS vx FROM trial_intermediate_values iv WHERE iv.trial_id = t.trial_id) v ON true
    LEFT JOIN LATERAL (SELECT json_agg(json_build_array(ta.kind, ta.key, ta.value_json)) AS a FROM trial_attrs ta WHERE ta.trial_id = t.trial_id) at ON true)
    ON true
  WHERE s.study_id = p_study ORDER BY t.number;
END $f$;

CREATE OR REPLACE FUNCTION parzen_finish_trial(p_trial BIGINT, p_state TEXT, p_value FLOAT8, p_take_last BOOLEAN, p_now BIGINT,
    p_message TEXT, p_stack TEXT, p_code TEXT, p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[], p_new_hashes TEXT[],
    p_new_json TEXT[], p_akinds TEXT[], p_akeys TEXT[], p_ajson TEXT[], p_token TEXT, p_retry BOOLEAN, p_owner TEXT,
    OUT status TEXT, OUT trial_number BIGINT, OUT trial_state TEXT, OUT param_name TEXT, OUT trial json) LANGUAGE plpgsql AS $f$
DECLARE v_study BIGINT; v_token TEXT; v_owner TEXT; n BIGINT;
BEGIN
  PERFORM set_config('synchronous_commit', 'on', true);
  -- parzen_lock_writable, inline.
  SELECT t.study_id, t.number, t.state, t.write_token, t.owner_token INTO v_study, trial_number, trial_state, v_token, v_owner
    FROM trials t WHERE t.trial_id = p_trial FOR UPDATE;
  IF NOT FOUND THEN status := 'no_trial'; RETURN; END IF;
  IF p_owner IS NOT NULL AND v_owner IS DISTINCT FROM p_owner THEN status := 'lost'; RETURN; END IF;
  IF p_retry AND v_token = p_token THEN status := 'ok'; trial := parzen_trial_json(p_trial); RETURN; END IF;
  IF trial_state IN ('COMPLETE', 'PRUNED', 'FAIL') THEN status := 'finished'; RETURN; END IF;
  -- parzen_write_params_attrs and parzen_insert_params, inline.
  IF cardinality(p_names) > 0 THEN
    SELECT p.name INTO param_name FROM trial_params p WHERE p.trial_id = p_trial AND p.name = ANY (p_names) ORDER BY p.name LIMIT 1;
    IF FOUND THEN status := 'param_set'; RETURN; END IF;
    IF cardinality(p_new_hashes) > 0 THEN
      INSERT INTO distributions (study_id, hash, json) SELECT v_study, h, j FROM unnest(p_new_hashes, p_new_json) AS x(h, j)
        ON CONFLICT (study_id, hash) DO NOTHING;
    END IF;
    INSERT INTO trial_params (trial_id, name, internal, distribution_id)
      SELECT p_trial, x.n, x.i, d.distribution_id FROM unnest(p_names, p_internals, p_hashes) AS x(n, i, h)
      JOIN distributions d ON d.study_id = v_study AND d.hash = x.h;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> cardinality(p_names) THEN
      RAISE EXCEPTION 'inserted % of % parameters: a distribution row is missing', n, cardinality(p_names);
    END IF;
  END IF;
  IF cardinality(p_akinds) > 0 THEN
    INSERT INTO trial_attrs (trial_id, kind, key, value_json) SELECT p_trial, k, a, j FROM unnest(p_akinds, p_akeys, p_ajson) AS x(k, a, j)
      ON CONFLICT (trial_id, kind, key) DO UPDATE SET value_json = excluded.value_json;
  END IF;
  -- The RETURNING list is parzen_trial_json's, on the row as updated.
  UPDATE trials t SET state = p_state,
      value = CASE WHEN p_take_last THEN (SELECT v.value FROM trial_intermediate_values v WHERE v.trial_id = p_trial ORDER BY v.step DESC LIMIT 1)
                   ELSE p_value END,
      datetime_complete = p_now, datetime_start = COALESCE(t.datetime_start, p_now),
      error_message = p_message, error_stack = p_stack, error_code = p_code, lease_expires = NULL, write_token = p_token
    WHERE t.trial_id = p_trial
    RETURNING json_build_object(
      'trialId', t.trial_id, 'studyId', t.study_id, 'number', t.number, 'state', t.state, 'value', t.value,
      'datetimeStart', t.datetime_start, 'datetimeComplete', t.datetime_complete, 'heartbeat', t.heartbeat,
      'errorMessage', t.error_message, 'errorStack', t.error_stack, 'errorCode', t.error_code, 'worker', t.worker,
      'seed', t.seed, 'codeVersion', t.code_version, 'budgetJson', t.budget_json, 'retryOf', t.retry_of,
      'p', (SELECT COALESCE(json_agg(json_build_array(p.name, p.internal, d.hash, p.distribution_id) ORDER BY p.name), '[]')
              FROM trial_params p JOIN distributions d ON d.distribution_id = p.distribution_id WHERE p.trial_id = t.trial_id),
      'v', (SELECT COALESCE(json_agg(json_build_array(v.step, v.value)), '[]') FROM trial_intermediate_values v WHERE v.trial_id = t.trial_id),
      'a', (SELECT COALESCE(json_agg(json_build_array(a.kind, a.key, a.value_json)), '[]') FROM trial_attrs a WHERE a.trial_id = t.trial_id))
    INTO trial;
  status := 'ok';
END $f$;
`;
