/**
 * Migration 5: a reaped trial's retry is a row, not a promise in the reaper's memory, and shared asks claim it
 * under the study's bound.
 *
 * `parzen_reap_expired` fails every RUNNING trial of the study whose lease ran out on the server's clock, as the
 * reap always did, and in the same transaction inserts, for each one whose chain of retries (`retry_of`) is shorter
 * than `p_retries`, a WAITING trial with its params and `retry_of` set. The UPDATE's row lock hands each expired
 * trial to exactly one reaper (a concurrent one re-checks `state = 'RUNNING'` and skips it), so each gets one
 * retry however many hosts reap at once; the new numbers are taken under the study row's lock, as creates take
 * theirs (dense, ids rising in commit order). The retry then waits for any host's next ask, so it survives the
 * death of the process that reaped.
 *
 * `parzen_claim_waiting` claims the lowest-numbered WAITING trial that no one else is claiming; with `p_max_active`
 * it first locks the study row and counts COMPLETE + RUNNING, exactly as `parzen_create_trial` does, so claims
 * and creates together never start more than the bound (a study of 200 ends with exactly 200 COMPLETE).
 *
 * Never edit this migration once released: append one.
 */
export const DURABLE_RETRIES_SQL = `
CREATE FUNCTION parzen_reap_expired(p_study BIGINT, p_now BIGINT, p_reaper TEXT, p_retries INT,
    OUT study_found BOOLEAN, OUT ids BIGINT[]) LANGUAGE plpgsql AS $f$
DECLARE r RECORD; depth INT; n BIGINT; new_trial BIGINT;
BEGIN
  study_found := EXISTS (SELECT 1 FROM studies s WHERE s.study_id = p_study);
  WITH x AS (
    UPDATE trials t SET state = 'FAIL', datetime_complete = p_now, error_code = 'WORKER', error_stack = NULL,
      error_message = 'orphaned: the lease of ' || COALESCE(t.worker, 'its worker') || ' expired at ' || t.lease_expires::text ||
        ' (server time) without being renewed; marked failed by ' || p_reaper,
      lease_expires = NULL
    WHERE t.study_id = p_study AND t.state = 'RUNNING' AND t.lease_expires < now()
    RETURNING t.trial_id)
  SELECT COALESCE(array_agg(x.trial_id ORDER BY x.trial_id), '{}') INTO ids FROM x;
  IF p_retries <= 0 OR cardinality(ids) = 0 THEN RETURN; END IF;
  PERFORM 1 FROM studies s WHERE s.study_id = p_study FOR UPDATE;
  FOR r IN SELECT t.trial_id, t.number, t.retry_of FROM trials t WHERE t.trial_id = ANY (ids) ORDER BY t.number LOOP
    -- Retries before this one in its chain; the walk stops at p_retries links, so a cycle cannot loop it.
    WITH RECURSIVE chain(num, d) AS (
      SELECT r.retry_of, 1 WHERE r.retry_of IS NOT NULL
      UNION ALL
      SELECT t.retry_of, c.d + 1 FROM chain c JOIN trials t ON t.study_id = p_study AND t.number = c.num
        WHERE t.retry_of IS NOT NULL AND c.d < p_retries)
    SELECT COALESCE(MAX(c.d), 0) INTO depth FROM chain c;
    CONTINUE WHEN depth >= p_retries;
    UPDATE studies s SET next_trial_number = s.next_trial_number + 1 WHERE s.study_id = p_study RETURNING s.next_trial_number - 1 INTO n;
    INSERT INTO trials (study_id, number, state, retry_of) VALUES (p_study, n, 'WAITING', r.number) RETURNING trial_id INTO new_trial;
    INSERT INTO trial_params (trial_id, name, internal, distribution_id)
      SELECT new_trial, p.name, p.internal, p.distribution_id FROM trial_params p WHERE p.trial_id = r.trial_id;
  END LOOP;
END $f$;

-- status: ok (claimed: the trial's id; NULL when none waits) | no_study | full (n_active, nothing written).
CREATE FUNCTION parzen_claim_waiting(p_study BIGINT, p_worker TEXT, p_now BIGINT, p_lease_ms FLOAT8, p_token TEXT, p_max_active INT,
    OUT status TEXT, OUT study_name TEXT, OUT n_active INT, OUT claimed BIGINT) LANGUAGE plpgsql AS $f$
BEGIN
  IF p_max_active IS NULL THEN
    SELECT s.name INTO study_name FROM studies s WHERE s.study_id = p_study;
  ELSE
    SELECT s.name INTO study_name FROM studies s WHERE s.study_id = p_study FOR UPDATE;
  END IF;
  IF NOT FOUND THEN status := 'no_study'; RETURN; END IF;
  IF p_max_active IS NOT NULL THEN
    SELECT COUNT(*)::int INTO n_active FROM trials t WHERE t.study_id = p_study AND t.state IN ('COMPLETE', 'RUNNING');
    IF n_active >= p_max_active THEN status := 'full'; RETURN; END IF;
  END IF;
  UPDATE trials t SET state = 'RUNNING', worker = p_worker, datetime_start = p_now,
      lease_expires = now() + make_interval(secs => p_lease_ms / 1000), write_token = p_token
    WHERE t.trial_id = (SELECT w.trial_id FROM trials w WHERE w.study_id = p_study AND w.state = 'WAITING' ORDER BY w.number LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING t.trial_id INTO claimed;
  status := 'ok';
END $f$;
`;
