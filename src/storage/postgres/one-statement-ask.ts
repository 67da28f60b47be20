/**
 * Migration 7: an ask in one statement. `parzen_ask_trial` claims the lowest-numbered enqueued (WAITING) trial for
 * worker `p_claim_as` or, when none waits (or `p_claim_as` is NULL), creates a RUNNING one for `p_worker`, exactly as
 * `parzen_claim_waiting` and `parzen_create_trial` do (same locks, numbers, bound, write token and commit mode), then, in the same
 * transaction with a fresh snapshot (READ COMMITTED: one per statement of a function), returns the incremental
 * read of `getAllTrials`: the study's trials with id above the caller's cursor `p_after`, except the finished ones it
 * holds (`p_held`), plus those it saw unfinished (`p_also`) and the trial just claimed or created. So the sampler
 * sees every trial committed before its own trial existed, every host's RUNNING ones included (the constant liar),
 * as Optuna's ask does (create first, then read); one round trip where the read and the create were two.
 *
 * With `p_reaper` it first runs the lease reap of migration 5 (`parzen_reap_expired`), as a shared study's every ask
 * did in a statement of its own: the reaped trials come back in the read, FAIL, and the claim may take a retry the
 * reap just enqueued; a reap that failed trials keeps the transaction's commit durable.
 *
 * Every returned row repeats the ask's outcome (`ask_status`: ok | no_study | full, `ask_n_active`, `ask_trial`,
 * `ask_claimed`, `ask_reaped`: the ids the reap failed) beside one trial's columns; a refusal returns one row with the study's name and nothing read. A trial's params, values
 * and attributes are aggregated per trial (LATERAL: index lookups for each trial returned), so the cost of a read
 * follows what it returns, never the table's size or the statistics the cached plan was chosen with.
 *
 * Never edit this migration once released: append one.
 */
export const ONE_STATEMENT_ASK_SQL = `
CREATE INDEX trials_study_trial ON trials (study_id, trial_id);

CREATE FUNCTION parzen_ask_trial(p_study BIGINT, p_claim_as TEXT, p_worker TEXT, p_now BIGINT, p_seed BIGINT, p_code TEXT,
    p_budget TEXT, p_retry_of BIGINT, p_lease_ms FLOAT8, p_max_active INT, p_token TEXT, p_retry BOOLEAN,
    p_after BIGINT, p_also BIGINT[], p_held BIGINT[], p_reaper TEXT, p_retries INT)
  RETURNS TABLE (ask_status TEXT, ask_n_active INT, ask_trial BIGINT, ask_claimed BOOLEAN, ask_reaped BIGINT[], name TEXT, "maxId" BIGINT,
    "trialId" BIGINT, "studyId" BIGINT, number BIGINT, state TEXT, value FLOAT8, "datetimeStart" BIGINT, "datetimeComplete" BIGINT,
    heartbeat BIGINT, "errorMessage" TEXT, "errorStack" TEXT, "errorCode" TEXT, worker TEXT, seed BIGINT, "codeVersion" TEXT,
    "budgetJson" TEXT, "retryOf" BIGINT, pn TEXT[], pi FLOAT8[], ph TEXT[], pd BIGINT[], vs BIGINT[], vx FLOAT8[], a json)
  LANGUAGE plpgsql AS $f$
#variable_conflict use_column
DECLARE v_status TEXT; v_name TEXT; v_n_active INT; v_trial BIGINT; v_claimed BOOLEAN := false; v_also BIGINT[];
  v_reaped BIGINT[] := '{}'; c RECORD;
BEGIN
  IF p_reaper IS NOT NULL THEN
    -- The lease reap of every ask on a shared study (parzen_reap_expired: expired trials FAIL, retries enqueued),
    -- first, so the claim below may take a retry it just enqueued and the read sees the reaped trials FAIL.
    SELECT r.ids INTO v_reaped FROM parzen_reap_expired(p_study, p_now, p_reaper, COALESCE(p_retries, 0)) r;
  END IF;
  IF p_retry THEN
    -- A lost attempt that landed left its token on the trial it claimed or created (waiting for its commit first).
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
  IF v_status IS NULL THEN
    SELECT * INTO c FROM parzen_create_trial(p_study, 'RUNNING', p_now, p_worker, p_seed, p_code, p_budget, p_retry_of, p_lease_ms,
      p_max_active, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', p_token, false);
    v_status := c.status; v_name := c.study_name; v_n_active := c.n_active; v_trial := c.new_trial;
  END IF;
  -- The create commits asynchronously; a reap that failed trials (and enqueued their retries) stays durable.
  IF cardinality(v_reaped) > 0 THEN PERFORM set_config('synchronous_commit', 'on', true); END IF;
  v_also := CASE WHEN cardinality(v_reaped) = 0 THEN p_also
    ELSE p_also || ARRAY(SELECT x FROM unnest(v_reaped) x WHERE x <= p_after AND NOT (x = ANY (p_also))) END;
  IF v_status <> 'ok' THEN
    RETURN QUERY SELECT v_status, v_n_active, NULL::BIGINT, false, v_reaped, v_name, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT,
      NULL::TEXT, NULL::FLOAT8, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT, NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::BIGINT,
      NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::TEXT[], NULL::FLOAT8[], NULL::TEXT[], NULL::BIGINT[], NULL::BIGINT[], NULL::FLOAT8[], NULL::json;
    RETURN;
  END IF;
  v_also := CASE WHEN v_trial <= p_after AND NOT (v_trial = ANY (v_also)) THEN v_also || v_trial ELSE v_also END;
  RETURN QUERY
  WITH t AS (
    SELECT * FROM trials x WHERE x.study_id = p_study AND x.trial_id > p_after AND x.trial_id <> ALL (p_held) AND x.trial_id <> ALL (v_also)
    UNION ALL
    -- IS TRUE keeps the study's index out of this branch's plan: these few ids are found by primary key.
    SELECT * FROM trials x WHERE x.trial_id = ANY (v_also) AND (x.study_id = p_study) IS TRUE)
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
`;
