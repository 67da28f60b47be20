import type { PoolClient } from 'pg';
import { StorageError } from '../../errors.js';
import { TRIAL_FUNCTIONS_SQL } from './trial-functions.js';
import { TRIAL_OWNERSHIP_SQL } from './trial-ownership.js';
import { DURABLE_RETRIES_SQL } from './durable-retries.js';
import { CACHED_PLANS_SQL } from './cached-plans.js';
import { ONE_STATEMENT_ASK_SQL } from './one-statement-ask.js';
import { PARAM_ROWS_SQL } from './param-rows.js';
import { LEAN_LIFECYCLE_SQL } from './lean-lifecycle.js';
import { KEYLESS_TRIAL_ROWS_SQL } from './keyless-trial-rows.js';
import { LEAN_ASK_SQL } from './lean-ask.js';
import { INDEXED_USUAL_ASK_SQL } from './indexed-usual-ask.js';

/**
 * Versioned schema changes for the PostgreSQL store, applied in order, each once, in one transaction at open
 * under a transaction-scoped advisory lock, so workers starting together on many hosts cannot apply them twice
 * (DDL is transactional in PostgreSQL: a failed migration leaves nothing behind). Applied versions are listed in
 * `parzen_migrations`. Never edit a released migration: append one and add its columns to schema.ts.
 */
export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const INITIAL_SCHEMA = `
CREATE TABLE studies (
  study_id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
  created_at BIGINT NOT NULL,
  next_trial_number BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE study_attrs (
  study_id BIGINT NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
  key TEXT NOT NULL,
  value_json TEXT NOT NULL,
  PRIMARY KEY (study_id, kind, key)
);
CREATE TABLE trials (
  trial_id BIGSERIAL PRIMARY KEY,
  study_id BIGINT NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  number BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL')),
  value DOUBLE PRECISION,
  datetime_start BIGINT,
  datetime_complete BIGINT,
  heartbeat BIGINT,
  error_message TEXT,
  error_stack TEXT,
  error_code TEXT,
  worker TEXT,
  seed BIGINT,
  code_version TEXT,
  budget_json TEXT,
  retry_of BIGINT,
  lease_expires TIMESTAMPTZ
);
CREATE UNIQUE INDEX trials_study_number ON trials (study_id, number);
CREATE INDEX trials_study_state ON trials (study_id, state);
CREATE TABLE distributions (
  distribution_id BIGSERIAL PRIMARY KEY,
  study_id BIGINT NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE UNIQUE INDEX distributions_study_hash ON distributions (study_id, hash);
CREATE TABLE trial_params (
  trial_id BIGINT NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  distribution_id BIGINT NOT NULL REFERENCES distributions(distribution_id),
  internal DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (trial_id, name)
);
CREATE INDEX trial_params_distribution ON trial_params (distribution_id);
CREATE TABLE trial_intermediate_values (
  trial_id BIGINT NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  step BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (trial_id, step)
);
CREATE TABLE trial_attrs (
  trial_id BIGINT NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
  key TEXT NOT NULL,
  value_json TEXT NOT NULL,
  PRIMARY KEY (trial_id, kind, key)
);
CREATE TABLE runs (
  run_id BIGSERIAL PRIMARY KEY,
  study_name TEXT,
  subsystem TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'FAIL')),
  config_json TEXT NOT NULL,
  result_json TEXT,
  error_message TEXT,
  error_stack TEXT,
  error_code TEXT,
  datetime_start BIGINT NOT NULL,
  datetime_complete BIGINT,
  code_version TEXT
);
CREATE TABLE trial_metrics (
  metric_id BIGSERIAL PRIMARY KEY,
  trial_id BIGINT REFERENCES trials(trial_id) ON DELETE CASCADE,
  run_id BIGINT REFERENCES runs(run_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  step BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  timestamp BIGINT NOT NULL,
  CONSTRAINT trial_metrics_one_owner CHECK ((trial_id IS NULL) <> (run_id IS NULL))
);
CREATE INDEX trial_metrics_trial ON trial_metrics (trial_id, name, step);
CREATE INDEX trial_metrics_run ON trial_metrics (run_id, name, step);
CREATE TABLE trial_logs (
  log_id BIGSERIAL PRIMARY KEY,
  trial_id BIGINT REFERENCES trials(trial_id) ON DELETE CASCADE,
  run_id BIGINT REFERENCES runs(run_id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('trace', 'debug', 'info', 'warn', 'error', 'fatal')),
  message TEXT NOT NULL,
  timestamp BIGINT NOT NULL,
  data_json TEXT,
  CONSTRAINT trial_logs_one_owner CHECK ((trial_id IS NULL) <> (run_id IS NULL))
);
CREATE INDEX trial_logs_trial ON trial_logs (trial_id);
CREATE INDEX trial_logs_run ON trial_logs (run_id);
`;

/** The schema's history, oldest first. */
export const PG_MIGRATIONS: readonly PgMigration[] = Object.freeze([
  { version: 1, name: 'initial schema', sql: INITIAL_SCHEMA },
  { version: 2, name: 'trial writes as one-statement functions', sql: TRIAL_FUNCTIONS_SQL },
  { version: 3, name: 'runs record the study trial they trained', sql: 'ALTER TABLE runs ADD COLUMN trial_number BIGINT' },
  { version: 4, name: 'a RUNNING trial is created with an asynchronous commit and owned by its create token', sql: TRIAL_OWNERSHIP_SQL },
  { version: 5, name: 'a reaped trial is retried as a WAITING trial in the reap, claimed under the study bound', sql: DURABLE_RETRIES_SQL },
  { version: 6, name: 'the trial functions written in SQL are PL/pgSQL, planned once per connection', sql: CACHED_PLANS_SQL },
  { version: 7, name: 'an ask claims or creates its trial and reads the study in one statement', sql: ONE_STATEMENT_ASK_SQL },
  { version: 8, name: 'param rows carry no foreign key or index on their distribution', sql: PARAM_ROWS_SQL },
  { version: 9, name: 'the ask and the finish run their writes in their own bodies, in fewer statements', sql: LEAN_LIFECYCLE_SQL },
  { version: 10, name: 'trials and their params and attributes carry no foreign key; deletes cascade by statement triggers', sql: KEYLESS_TRIAL_ROWS_SQL },
  { version: 11, name: 'an ask of a study read before returns 9 columns: the trial it created as sent, others as JSON', sql: LEAN_ASK_SQL },
  { version: 12, name: "the lean ask's usual-ask test walks the study's index, not the trials table", sql: INDEXED_USUAL_ASK_SQL },
]);

export const PG_LATEST_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;

/** Any fixed 64-bit key: every parzen process migrating this database takes the same lock. */
const MIGRATION_LOCK = 0x7061727a656e; // "parzen"

/**
 * Brings the store (the tables in the connection's search_path) to the newest schema in `migrations`; returns the
 * versions it applied. Refuses a store written by a newer parzen rather than guessing at columns it does not know.
 * `where` names the store (URL without password) in errors.
 */
export async function migratePg(client: PoolClient, where: string, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new StorageError(`migration "${m.name}" has version ${m.version}; versions must run 1, 2, 3, … in order`);
  });
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS parzen_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::int AS v FROM parzen_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > latest) throw newerPgSchema(where, current, latest);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO parzen_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

/**
 * For a query (which must not create a store): throws unless the connection's search_path holds a parzen store
 * at exactly the newest version. No store there is STORE_NOT_FOUND; an older one is STORE_OUTDATED (any writing
 * `tune` upgrades it), a newer one STORE_TOO_NEW.
 */
export async function checkPgSchema(client: PoolClient, where: string): Promise<void> {
  const { rows: found } = await client.query<{ t: string | null }>("SELECT to_regclass('parzen_migrations')::text AS t");
  if (found[0]?.t === null || found[0]?.t === undefined) {
    throw new StorageError(`no study store at ${where}: the database (schema) has no parzen tables; check --storage, or run \`tune\` on it once to create them`, {
      code: 'STORE_NOT_FOUND',
    });
  }
  const { rows } = await client.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::int AS v FROM parzen_migrations');
  const current = rows[0]?.v ?? 0;
  if (current > PG_LATEST_VERSION) throw newerPgSchema(where, current, PG_LATEST_VERSION);
  if (current < PG_LATEST_VERSION) {
    throw new StorageError(`${where} has schema version ${current}, older than this parzen's ${PG_LATEST_VERSION}; run any writing tune command on it once to upgrade it in place`, {
      code: 'STORE_OUTDATED',
    });
  }
}

function newerPgSchema(where: string, current: number, latest: number): StorageError {
  return new StorageError(
    `${where} has schema version ${current} but this parzen knows up to ${latest}; upgrade parzen (npm install) on this host to open it`,
    { code: 'STORE_TOO_NEW' },
  );
}
