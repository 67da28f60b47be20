/**
 * Migration 10: a trial's rows, and a study's trials, carry no foreign key; deletes cascade by statement triggers.
 *
 * `trials.study_id` referenced `studies`, and `trial_params.trial_id` and `trial_attrs.trial_id` referenced
 * `trials`, so every row the lifecycle inserts ran a foreign-key check after its statement: the ask's trial one, the
 * finish's 5 params and 2 attributes seven, each an SPI query of its own (executor start and end, an index probe,
 * a `FOR KEY SHARE` row lock; on the study row, which the ask has just updated, a new lock and its WAL record). They
 * guard nothing the trial functions do not: every insert of a trial holds its study's row lock (the ask's and
 * `parzen_create_trial`'s UPDATE or `FOR UPDATE` of the study, the reap's `FOR UPDATE` before its retries), every
 * insert of params or attributes holds its trial's (`FOR UPDATE` in the finish, `parzen_lock_writable`; the reap's
 * retry params follow the trial it inserted), and each refuses a missing parent ('no_study', 'no_trial'); a delete
 * of the parent waits for that lock and then, by the triggers below, deletes what was inserted under it.
 * Server CPU per lifecycle with and without the keys: docs/benchmarks/store.md, "Session 29 (s29-pg)".
 *
 * `ON DELETE CASCADE` is kept as triggers: after a DELETE statement on `studies` (or `trials`), one DELETE of the
 * rows of every study (trial) it deleted, from its transition table, so deleting a study of 20,000 trials is one
 * statement per table, not one per row. They fire on deletes only: inserts and updates pay nothing. The other keys
 * (values, metrics, logs, study attributes, distributions) stay as they were.
 * The constraints' names are PostgreSQL's defaults for the initial schema's inline REFERENCES.
 *
 * Never edit this migration once released: append one.
 */
export const KEYLESS_TRIAL_ROWS_SQL = `
ALTER TABLE trials DROP CONSTRAINT trials_study_id_fkey;
ALTER TABLE trial_params DROP CONSTRAINT trial_params_trial_id_fkey;
ALTER TABLE trial_attrs DROP CONSTRAINT trial_attrs_trial_id_fkey;

CREATE FUNCTION parzen_delete_study_trials() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  DELETE FROM trials t WHERE t.study_id IN (SELECT g.study_id FROM gone g);
  RETURN NULL;
END $f$;
CREATE TRIGGER studies_delete_trials AFTER DELETE ON studies REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION parzen_delete_study_trials();

CREATE FUNCTION parzen_delete_trial_rows() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  DELETE FROM trial_params p WHERE p.trial_id IN (SELECT g.trial_id FROM gone g);
  DELETE FROM trial_attrs a WHERE a.trial_id IN (SELECT g.trial_id FROM gone g);
  RETURN NULL;
END $f$;
CREATE TRIGGER trials_delete_rows AFTER DELETE ON trials REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION parzen_delete_trial_rows();
`;
