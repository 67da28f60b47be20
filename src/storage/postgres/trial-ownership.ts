/**
 * Migration 4: a RUNNING trial's create commits asynchronously, and its creator's later writes check that the
 * trial is still the one it created.
 *
 * Only a finish must be durable when it returns: it carries the trial's result. PostgreSQL writes WAL in order and
 * flushes it up to a commit record, so the finish's synchronous commit makes everything before it durable too,
 * the trial's create included; an asynchronous commit can lose the last few hundred milliseconds of commits in a
 * server crash, never make the database inconsistent (PostgreSQL manual, "Asynchronous Commit"). What a crash
 * between create and finish loses is the RUNNING trial itself: its row, its number (the study's counter goes back,
 * so numbers stay dense) and possibly its id (a sequence's advance is WAL too). A later create may then reuse that
 * number and id for another worker's trial, so the creator's writes name their trial by id *and* by the create's
 * write token (`owner_token`, never changed afterwards): a trial whose owner token is not the one given is
 * `lost`, nothing is written, and the creator stops that trial (TRIAL_LOST) instead of writing into another
 * worker's. Claimed (enqueued) trials, finishes, parameters, attributes and values stay durable.
 *
 * Never edit this migration once released: append one.
 */
export const TRIAL_OWNERSHIP_SQL = `
ALTER TABLE trials ADD COLUMN owner_token TEXT;

CREATE OR REPLACE FUNCTION parzen_create_trial(p_study BIGINT, p_state TEXT, p_now BIGINT, p_worker TEXT, p_seed BIGINT, p_code TEXT,
    p_budget TEXT, p_retry_of BIGINT, p_lease_ms FLOAT8, p_max_active INT,
    p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[], p_new_hashes TEXT[], p_new_json TEXT[],
    p_akinds TEXT[], p_akeys TEXT[], p_ajson TEXT[], p_token TEXT, p_retry BOOLEAN,
    OUT status TEXT, OUT study_name TEXT, OUT trial_number BIGINT, OUT n_active INT, OUT new_trial BIGINT)
  LANGUAGE plpgsql AS $f$
BEGIN
  SELECT s.name INTO study_name FROM studies s WHERE s.study_id = p_study FOR UPDATE;
  IF NOT FOUND THEN status := 'no_study'; RETURN; END IF;
  IF p_retry THEN
    SELECT t.trial_id, t.number INTO new_trial, trial_number FROM trials t WHERE t.study_id = p_study AND t.write_token = p_token;
    IF FOUND THEN status := 'ok'; RETURN; END IF;
  END IF;
  IF p_max_active IS NOT NULL THEN
    SELECT COUNT(*)::int INTO n_active FROM trials t WHERE t.study_id = p_study AND t.state IN ('COMPLETE', 'RUNNING');
    IF n_active >= p_max_active THEN status := 'full'; RETURN; END IF;
  END IF;
  UPDATE studies s SET next_trial_number = s.next_trial_number + 1 WHERE s.study_id = p_study RETURNING s.next_trial_number - 1 INTO trial_number;
  INSERT INTO trials (study_id, number, state, datetime_start, worker, seed, code_version, budget_json, retry_of, lease_expires, write_token, owner_token)
    VALUES (p_study, trial_number, p_state, CASE WHEN p_state = 'RUNNING' THEN p_now END, p_worker, p_seed, p_code, p_budget, p_retry_of,
      CASE WHEN p_state = 'RUNNING' THEN now() + make_interval(secs => p_lease_ms / 1000) END, p_token, CASE WHEN p_state = 'RUNNING' THEN p_token END)
    RETURNING trial_id INTO new_trial;
  PERFORM parzen_insert_params(p_study, new_trial, p_names, p_internals, p_hashes, p_new_hashes, p_new_json);
  IF cardinality(p_akinds) > 0 THEN PERFORM parzen_insert_attrs(new_trial, p_akinds, p_akeys, p_ajson); END IF;
  -- A RUNNING trial holds no result yet: its commit need not wait for the WAL flush (see the migration's comment).
  -- Enqueued (WAITING) and copied (finished) trials are what a user asked to store: those stay durable.
  IF p_state = 'RUNNING' THEN PERFORM set_config('synchronous_commit', 'off', true); END IF;
  status := 'ok';
END $f$;

DROP FUNCTION parzen_trial_writes(BIGINT, TEXT[], FLOAT8[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT, BOOLEAN);
DROP FUNCTION parzen_finish_trial(BIGINT, TEXT, FLOAT8, BOOLEAN, BIGINT, TEXT, TEXT, TEXT, TEXT[], FLOAT8[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT, BOOLEAN);
DROP FUNCTION parzen_lock_writable(BIGINT);

-- The trial row locked and judged writable by a caller that created it with owner token p_owner (NULL: any caller).
-- status: ok | no_trial | lost (another trial holds this id now) | finished (trial_state, trial_number say why).
CREATE FUNCTION parzen_lock_writable(p_trial BIGINT, p_owner TEXT, OUT status TEXT, OUT trial_study BIGINT, OUT trial_number BIGINT,
    OUT trial_state TEXT, OUT token TEXT) LANGUAGE plpgsql AS $f$
DECLARE owner TEXT;
BEGIN
  SELECT t.study_id, t.number, t.state, t.write_token, t.owner_token INTO trial_study, trial_number, trial_state, token, owner
    FROM trials t WHERE t.trial_id = p_trial FOR UPDATE;
  IF NOT FOUND THEN status := 'no_trial';
  ELSIF p_owner IS NOT NULL AND owner IS DISTINCT FROM p_owner THEN status := 'lost';
  ELSIF trial_state IN ('COMPLETE', 'PRUNED', 'FAIL') THEN status := 'finished';
  ELSE status := 'ok';
  END IF;
END $f$;

-- Params and attributes of one trial, all or none. status: ok | no_trial | lost | finished | param_set (param_name).
CREATE FUNCTION parzen_trial_writes(p_trial BIGINT, p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[], p_new_hashes TEXT[],
    p_new_json TEXT[], p_akinds TEXT[], p_akeys TEXT[], p_ajson TEXT[], p_token TEXT, p_retry BOOLEAN, p_owner TEXT,
    OUT status TEXT, OUT trial_number BIGINT, OUT trial_state TEXT, OUT param_name TEXT) LANGUAGE plpgsql AS $f$
DECLARE w record;
BEGIN
  w := parzen_lock_writable(p_trial, p_owner);
  trial_number := w.trial_number; trial_state := w.trial_state;
  IF p_retry AND w.status <> 'lost' AND w.token = p_token THEN status := 'ok'; RETURN; END IF;
  IF w.status <> 'ok' THEN status := w.status; RETURN; END IF;
  param_name := parzen_write_params_attrs(w, p_trial, p_names, p_internals, p_hashes, p_new_hashes, p_new_json, p_akinds, p_akeys, p_ajson);
  IF param_name IS NOT NULL THEN status := 'param_set'; RETURN; END IF;
  UPDATE trials t SET write_token = p_token WHERE t.trial_id = p_trial;
  status := 'ok';
END $f$;

-- Finishes a trial, first writing the params and attributes given with it (all or none); a PRUNED one without a
-- value (p_take_last) takes its last intermediate value. Returns the trial as JSON when done. Always a durable
-- commit, whatever the session's synchronous_commit.
-- status: ok | no_trial | lost | finished | param_set (param_name).
CREATE FUNCTION parzen_finish_trial(p_trial BIGINT, p_state TEXT, p_value FLOAT8, p_take_last BOOLEAN, p_now BIGINT,
    p_message TEXT, p_stack TEXT, p_code TEXT, p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[], p_new_hashes TEXT[],
    p_new_json TEXT[], p_akinds TEXT[], p_akeys TEXT[], p_ajson TEXT[], p_token TEXT, p_retry BOOLEAN, p_owner TEXT,
    OUT status TEXT, OUT trial_number BIGINT, OUT trial_state TEXT, OUT param_name TEXT, OUT trial json) LANGUAGE plpgsql AS $f$
DECLARE w record;
BEGIN
  PERFORM set_config('synchronous_commit', 'on', true);
  w := parzen_lock_writable(p_trial, p_owner);
  trial_number := w.trial_number; trial_state := w.trial_state;
  IF p_retry AND w.status <> 'lost' AND w.token = p_token THEN status := 'ok'; trial := parzen_trial_json(p_trial); RETURN; END IF;
  IF w.status <> 'ok' THEN status := w.status; RETURN; END IF;
  param_name := parzen_write_params_attrs(w, p_trial, p_names, p_internals, p_hashes, p_new_hashes, p_new_json, p_akinds, p_akeys, p_ajson);
  IF param_name IS NOT NULL THEN status := 'param_set'; RETURN; END IF;
  UPDATE trials t SET state = p_state,
      value = CASE WHEN p_take_last THEN (SELECT v.value FROM trial_intermediate_values v WHERE v.trial_id = p_trial ORDER BY v.step DESC LIMIT 1)
                   ELSE p_value END,
      datetime_complete = p_now, datetime_start = COALESCE(t.datetime_start, p_now),
      error_message = p_message, error_stack = p_stack, error_code = p_code, lease_expires = NULL, write_token = p_token
    WHERE t.trial_id = p_trial;
  status := 'ok';
  trial := parzen_trial_json(p_trial);
END $f$;
`;
