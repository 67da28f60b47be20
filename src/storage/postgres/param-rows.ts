/**
 * Migration 8: a trial's param rows no longer check or index their distribution.
 *
 * `trial_params.distribution_id` referenced `distributions`, so every param a finish wrote ran a foreign-key check
 * (a `SELECT … FOR KEY SHARE` of the distribution's row: a row lock that every host's finish takes on the same few
 * rows of its study) and kept an index on `distribution_id` that only that key's own delete checks used. Both
 * guarded nothing the trial functions do not: `parzen_insert_params` takes each row's `distribution_id` from a join
 * with `distributions` in the same statement and refuses the write when a distribution is missing, and a
 * distribution is only ever deleted with its study, whose trials (and so their params) go in the same cascade. The
 * 5-param insert of the store-cost lifecycle: 0.058–0.082 ms with them, 0.029–0.035 ms without (server time of
 * 1,000 inserts each, alternated in one session); the whole lifecycle 1.03–1.09× faster without
 * (scripts/bench/pg-param-keys-ab.ts; docs/benchmarks/store.md, "Session 27, second part").
 * The constraint's name is PostgreSQL's default for the initial schema's inline REFERENCES.
 *
 * Never edit this migration once released: append one.
 */
export const PARAM_ROWS_SQL = `
ALTER TABLE trial_params DROP CONSTRAINT trial_params_distribution_id_fkey;
DROP INDEX trial_params_distribution;
`;
