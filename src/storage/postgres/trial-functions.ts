/**
 * Migration 2: the trial's hot writes as PL/pgSQL functions, so that each is one statement and one round trip,
 * committed on its own (no BEGIN / COMMIT round trips). Inside a function every statement takes a fresh snapshot
 * (READ COMMITTED), so a row lock taken first orders it after any transaction it waited for, exactly as the
 * statements did one by one from the client. A refusal is returned as `status` (nothing written), never raised,
 * so the client builds the typed error with the message it always gave.
 *
 * `write_token` is the last non-idempotent write's token (process prefix and counter): after a lost connection
 * the client runs the same call again with `p_retry`, and the function first locks the row the lost attempt
 * locked (waiting for it if it is still committing), then finds the token: a write that landed is not applied
 * twice, one that did not is applied now.
 *
 * Never edit this migration once released: append one.
 */
export const TRIAL_FUNCTIONS_SQL = `
ALTER TABLE trials ADD COLUMN write_token TEXT;

-- One trial as JSON: its row with its params, intermediate values and attributes (what the loader freezes).
CREATE FUNCTION parzen_trial_json(p_trial BIGINT) RETURNS json LANGUAGE sql STABLE AS $f$
  SELECT json_build_object(
    'trialId', t.trial_id, 'studyId', t.study_id, 'number', t.number, 'state', t.state, 'value', t.value,
    'datetimeStart', t.datetime_start, 'datetimeComplete', t.datetime_complete, 'heartbeat', t.heartbeat,
    'errorMessage', t.error_message, 'errorStack', t.error_stack, 'errorCode', t.error_code, 'worker', t.worker,
    'seed', t.seed, 'codeVersion', t.code_version, 'budgetJson', t.budget_json, 'retryOf', t.retry_of,
    'p', (SELECT COALESCE(json_agg(json_build_array(p.name, p.internal, d.hash, p.distribution_id) ORDER BY p.name), '[]')
            FROM trial_params p JOIN distributions d ON d.distribution_id = p.distribution_id WHERE p.trial_id = t.trial_id),
    'v', (SELECT COALESCE(json_agg(json_build_array(v.step, v.value)), '[]') FROM trial_intermediate_values v WHERE v.trial_id = t.trial_id),
    'a', (SELECT COALESCE(json_agg(json_build_array(a.kind, a.key, a.value_json)), '[]') FROM trial_attrs a WHERE a.trial_id = t.trial_id))
  FROM trials t WHERE t.trial_id = p_trial
$f$;

-- Inserts params (and the study's distributions not yet stored) of a locked, writable trial.
CREATE FUNCTION parzen_insert_params(p_study BIGINT, p_trial BIGINT, p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[],
    p_new_hashes TEXT[], p_new_json TEXT[]) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE n BIGINT;
BEGIN
  IF cardinality(p_names) = 0 THEN RETURN; END IF;
  IF cardinality(p_new_hashes) > 0 THEN
    INSERT INTO distributions (study_id, hash, json) SELECT p_study, h, j FROM unnest(p_new_hashes, p_new_json) AS x(h, j)
      ON CONFLICT (study_id, hash) DO NOTHING;
  END IF;
  INSERT INTO trial_params (trial_id, name, internal, distribution_id)
    SELECT p_trial, x.n, x.i, d.distribution_id FROM unnest(p_names, p_internals, p_hashes) AS x(n, i, h)
    JOIN distributions d ON d.study_id = p_study AND d.hash = x.h;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> cardinality(p_names) THEN
    RAISE EXCEPTION 'inserted % of % parameters: a distribution row is missing', n, cardinality(p_names);
  END IF;
END $f$;

CREATE FUNCTION parzen_insert_attrs(p_trial BIGINT, p_kinds TEXT[], p_keys TEXT[], p_json TEXT[]) RETURNS void LANGUAGE sql AS $f$
  INSERT INTO trial_attrs (trial_id, kind, key, value_json) SELECT p_trial, k, a, j FROM unnest(p_kinds, p_keys, p_json) AS x(k, a, j)
    ON CONFLICT (trial_id, kind, key) DO UPDATE SET value_json = excluded.value_json
$f$;

-- A new trial with the study's next number (taken under the study row's lock: dense across hosts, ids rising in
-- commit order). status: ok | no_study | full (n_active COMPLETE + RUNNING trials, nothing written).
CREATE FUNCTION parzen_create_trial(p_study BIGINT, p_state TEXT, p_now BIGINT, p_worker TEXT, p_seed BIGINT, p_code TEXT,
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
  INSERT INTO trials (study_id, number, state, datetime_start, worker, seed, code_version, budget_json, retry_of, lease_expires, write_token)
    VALUES (p_study, trial_number, p_state, CASE WHEN p_state = 'RUNNING' THEN p_now END, p_worker, p_seed, p_code, p_budget, p_retry_of,
      CASE WHEN p_state = 'RUNNING' THEN now() + make_interval(secs => p_lease_ms / 1000) END, p_token)
    RETURNING trial_id INTO new_trial;
  PERFORM parzen_insert_params(p_study, new_trial, p_names, p_internals, p_hashes, p_new_hashes, p_new_json);
  IF cardinality(p_akinds) > 0 THEN PERFORM parzen_insert_attrs(new_trial, p_akinds, p_akeys, p_ajson); END IF;
  status := 'ok';
END $f$;

-- The trial row locked and judged writable. status: ok | no_trial | finished (trial_state, trial_number say why).
CREATE FUNCTION parzen_lock_writable(p_trial BIGINT, OUT status TEXT, OUT trial_study BIGINT, OUT trial_number BIGINT,
    OUT trial_state TEXT, OUT token TEXT) LANGUAGE plpgsql AS $f$
BEGIN
  SELECT t.study_id, t.number, t.state, t.write_token INTO trial_study, trial_number, trial_state, token
    FROM trials t WHERE t.trial_id = p_trial FOR UPDATE;
  IF NOT FOUND THEN status := 'no_trial';
  ELSIF trial_state IN ('COMPLETE', 'PRUNED', 'FAIL') THEN status := 'finished';
  ELSE status := 'ok';
  END IF;
END $f$;

-- Params and attributes of a locked, writable trial (w: parzen_lock_writable's row). Returns the name of a param the
-- trial already has (nothing written), or NULL when written.
CREATE FUNCTION parzen_write_params_attrs(w record, p_trial BIGINT, p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[],
    p_new_hashes TEXT[], p_new_json TEXT[], p_akinds TEXT[], p_akeys TEXT[], p_ajson TEXT[]) RETURNS TEXT LANGUAGE plpgsql AS $f$
DECLARE taken TEXT;
BEGIN
  IF cardinality(p_names) > 0 THEN
    SELECT p.name INTO taken FROM trial_params p WHERE p.trial_id = p_trial AND p.name = ANY(p_names) ORDER BY p.name LIMIT 1;
    IF FOUND THEN RETURN taken; END IF;
    PERFORM parzen_insert_params(w.trial_study, p_trial, p_names, p_internals, p_hashes, p_new_hashes, p_new_json);
  END IF;
  IF cardinality(p_akinds) > 0 THEN PERFORM parzen_insert_attrs(p_trial, p_akinds, p_akeys, p_ajson); END IF;
  RETURN NULL;
END $f$;

-- Params and attributes of one trial, all or none. status: ok | no_trial | finished | param_set (param_name).
CREATE FUNCTION parzen_trial_writes(p_trial BIGINT, p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[], p_new_hashes TEXT[],
    p_new_json TEXT[], p_akinds TEXT[], p_akeys TEXT[], p_ajson TEXT[], p_token TEXT, p_retry BOOLEAN,
    OUT status TEXT, OUT trial_number BIGINT, OUT trial_state TEXT, OUT param_name TEXT) LANGUAGE plpgsql AS $f$
DECLARE w record;
BEGIN
  w := parzen_lock_writable(p_trial);
  trial_number := w.trial_number; trial_state := w.trial_state;
  IF p_retry AND w.token = p_token THEN status := 'ok'; RETURN; END IF;
  IF w.status <> 'ok' THEN status := w.status; RETURN; END IF;
  param_name := parzen_write_params_attrs(w, p_trial, p_names, p_internals, p_hashes, p_new_hashes, p_new_json, p_akinds, p_akeys, p_ajson);
  IF param_name IS NOT NULL THEN status := 'param_set'; RETURN; END IF;
  UPDATE trials t SET write_token = p_token WHERE t.trial_id = p_trial;
  status := 'ok';
END $f$;

-- Finishes a trial, first writing the params and attributes given with it (all or none); a PRUNED one without a
-- value (p_take_last) takes its last intermediate value. Returns the trial as JSON when done.
-- status: ok | no_trial | finished | param_set (param_name).
CREATE FUNCTION parzen_finish_trial(p_trial BIGINT, p_state TEXT, p_value FLOAT8, p_take_last BOOLEAN, p_now BIGINT,
    p_message TEXT, p_stack TEXT, p_code TEXT, p_names TEXT[], p_internals FLOAT8[], p_hashes TEXT[], p_new_hashes TEXT[],
    p_new_json TEXT[], p_akinds TEXT[], p_akeys TEXT[], p_ajson TEXT[], p_token TEXT, p_retry BOOLEAN,
    OUT status TEXT, OUT trial_number BIGINT, OUT trial_state TEXT, OUT param_name TEXT, OUT trial json) LANGUAGE plpgsql AS $f$
DECLARE w record;
BEGIN
  w := parzen_lock_writable(p_trial);
  trial_number := w.trial_number; trial_state := w.trial_state;
  IF p_retry AND w.token = p_token THEN status := 'ok'; trial := parzen_trial_json(p_trial); RETURN; END IF;
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
