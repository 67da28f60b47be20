import type Database from 'better-sqlite3';
import { StorageError } from '../../errors.js';
import { storeDistributionsOnce } from './migrate-distributions.js';

/**
 * Versioned schema changes, applied in order, each once, inside one `BEGIN IMMEDIATE` transaction at open
 * (so two processes opening a fresh file at the same moment cannot both apply them). Applied versions are
 * listed in `parzen_migrations` and mirrored in `PRAGMA user_version`. Never edit a released migration:
 * append a new one (e.g. `ALTER TABLE trials ADD COLUMN …`) and add the column to schema.ts. A migration is
 * plain SQL, or `up`, a function, where rows must be rewritten by code (migration 2 hashes distributions).
 */
export type Migration = { readonly version: number; readonly name: string } & (
  | { readonly sql: string }
  | { readonly up: (db: Database.Database, file: string) => void }
);

const INITIAL_SCHEMA = `
CREATE TABLE studies (
  study_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
  created_at INTEGER NOT NULL
);
CREATE TABLE study_attrs (
  study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
  key TEXT NOT NULL,
  value_json TEXT NOT NULL,
  PRIMARY KEY (study_id, kind, key)
);
CREATE TABLE trials (
  trial_id INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL')),
  value REAL,
  value_type TEXT CHECK (value_type IN ('FINITE', 'INF_POS', 'INF_NEG')),
  datetime_start INTEGER,
  datetime_complete INTEGER,
  heartbeat INTEGER,
  error_message TEXT,
  error_stack TEXT,
  error_code TEXT,
  worker TEXT,
  seed INTEGER,
  code_version TEXT,
  budget_json TEXT,
  retry_of INTEGER
);
CREATE UNIQUE INDEX trials_study_number ON trials (study_id, number);
CREATE INDEX trials_study_state ON trials (study_id, state);
CREATE TABLE trial_params (
  trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  distribution_json TEXT NOT NULL,
  internal REAL NOT NULL,
  PRIMARY KEY (trial_id, name)
);
CREATE TABLE trial_intermediate_values (
  trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  value REAL NOT NULL,
  value_type TEXT NOT NULL CHECK (value_type IN ('FINITE', 'INF_POS', 'INF_NEG')),
  PRIMARY KEY (trial_id, step)
);
CREATE TABLE trial_attrs (
  trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
  key TEXT NOT NULL,
  value_json TEXT NOT NULL,
  PRIMARY KEY (trial_id, kind, key)
);
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT,
  study_name TEXT,
  subsystem TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'FAIL')),
  config_json TEXT NOT NULL,
  result_json TEXT,
  error_message TEXT,
  error_stack TEXT,
  error_code TEXT,
  datetime_start INTEGER NOT NULL,
  datetime_complete INTEGER,
  code_version TEXT
);
CREATE TABLE trial_metrics (
  metric_id INTEGER PRIMARY KEY AUTOINCREMENT,
  trial_id INTEGER REFERENCES trials(trial_id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs(run_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL NOT NULL,
  value_type TEXT NOT NULL CHECK (value_type IN ('FINITE', 'INF_POS', 'INF_NEG')),
  timestamp INTEGER NOT NULL,
  CONSTRAINT trial_metrics_one_owner CHECK ((trial_id IS NULL) <> (run_id IS NULL))
);
CREATE INDEX trial_metrics_trial ON trial_metrics (trial_id, name, step);
CREATE INDEX trial_metrics_run ON trial_metrics (run_id, name, step);
CREATE TABLE trial_logs (
  log_id INTEGER PRIMARY KEY AUTOINCREMENT,
  trial_id INTEGER REFERENCES trials(trial_id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs(run_id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('trace', 'debug', 'info', 'warn', 'error', 'fatal')),
  message TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  data_json TEXT,
  CONSTRAINT trial_logs_one_owner CHECK ((trial_id IS NULL) <> (run_id IS NULL))
);
CREATE INDEX trial_logs_trial ON trial_logs (trial_id);
CREATE INDEX trial_logs_run ON trial_logs (run_id);
`;

/** The schema's history, oldest first. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  { version: 1, name: 'initial schema', sql: INITIAL_SCHEMA },
  { version: 2, name: 'each distinct distribution stored once per study', up: storeDistributionsOnce },
  { version: 3, name: 'runs record the study trial they trained', sql: 'ALTER TABLE runs ADD COLUMN trial_number INTEGER' },
]);

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Brings the database at `db` up to the newest schema in `migrations`; returns the versions it applied.
 * Refuses a file written by a newer parzen rather than guessing at columns it does not know.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkOrder(migrations);
  const apply = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS parzen_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const current = (db.prepare('SELECT COALESCE(MAX(version), 0) FROM parzen_migrations').pluck().get() as number) ?? 0;
    const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
    if (current > latest) throw newerSchema(file, current, latest);
    const record = db.prepare('INSERT INTO parzen_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      if ('sql' in m) db.exec(m.sql);
      else m.up(db, file);
      record.run(m.version, m.name, Date.now());
      applied.push(m.version);
    }
    // user_version lets `sqlite3 file 'PRAGMA user_version'` tell the schema without knowing our table.
    if (applied.length > 0) db.pragma(`user_version = ${latest}`);
    return applied;
  });
  return apply.immediate();
}

/**
 * For a read-only connection, which cannot migrate: throws unless `db` is a parzen store at exactly the newest
 * schema version. An empty database or another program's is STORE_NOT_FOUND (the --storage path is wrong).
 */
export function checkSchemaVersion(db: Database.Database, file: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (!tables.includes('parzen_migrations')) {
    const what = tables.length === 0 ? 'is an empty database' : `is a SQLite database of another program (tables: ${tables.slice(0, 5).join(', ')})`;
    throw new StorageError(`no study store at ${file}: the file ${what}, not a parzen study store; check --storage`, { code: 'STORE_NOT_FOUND' });
  }
  const current = (db.prepare('SELECT COALESCE(MAX(version), 0) FROM parzen_migrations').pluck().get() as number) ?? 0;
  if (current > LATEST_VERSION) throw newerSchema(file, current, LATEST_VERSION);
  if (current < LATEST_VERSION) {
    throw new StorageError(
      `${file} has schema version ${current}, older than this parzen's ${LATEST_VERSION}, and this user may not write it to upgrade it; ` +
        'ask its owner to run any tune command on it once (it upgrades in place), or query a copy made with `cp`',
      { code: 'STORE_OUTDATED' },
    );
  }
}

function newerSchema(file: string, current: number, latest: number): StorageError {
  return new StorageError(`${file} has schema version ${current} but this parzen knows up to ${latest}; upgrade parzen (npm install) to open it`);
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new StorageError(`migration "${m.name}" has version ${m.version}; versions must run 1, 2, 3, … in order`);
  });
}
