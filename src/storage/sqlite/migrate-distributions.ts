import type Database from 'better-sqlite3';
import { StorageError } from '../../errors.js';
import type { Distribution } from '../../space/distributions.js';
import { storedDistribution } from '../stored-distribution.js';

/**
 * Migration 2: distributions move out of `trial_params` (one `distribution_json` per parameter per trial) into
 * one `distributions` row per distinct distribution of a study, which `trial_params.distribution_id` points to.
 * SQLite cannot change a column in place, so `trial_params` is rebuilt: copied row by row into its new shape,
 * then swapped in. It runs inside migrate()'s transaction: any failure leaves the file at version 1, untouched.
 */
const NEW_TABLES = `
CREATE TABLE distributions (
  distribution_id INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE UNIQUE INDEX distributions_study_hash ON distributions (study_id, hash);
CREATE TABLE trial_params_v2 (
  trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  distribution_id INTEGER NOT NULL REFERENCES distributions(distribution_id),
  internal REAL NOT NULL,
  PRIMARY KEY (trial_id, name)
);
`;

const SWAP = `
DROP TABLE trial_params;
ALTER TABLE trial_params_v2 RENAME TO trial_params;
CREATE INDEX trial_params_distribution ON trial_params (distribution_id);
`;

interface OldParam {
  readonly rowid: number;
  readonly trialId: number;
  readonly name: string;
  readonly json: string;
  readonly internal: number;
  readonly studyId: number;
}

/** Rows copied per query: bounded memory however large the old table (a 10k-choice list is ~80 KB a row). */
const PAGE = 256;

export function storeDistributionsOnce(db: Database.Database, file: string): void {
  db.exec(NEW_TABLES);
  const page = db.prepare<[number, number], OldParam>(`
    SELECT p.rowid AS rowid, p.trial_id AS trialId, p.name AS name, p.distribution_json AS json, p.internal AS internal, t.study_id AS studyId
    FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id
    WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?`);
  const insert = db.prepare('INSERT INTO trial_params_v2 (trial_id, name, distribution_id, internal) VALUES (?, ?, ?, ?)');
  const idOf = distributionIds(db, file);
  let copied = 0;
  for (let after = 0, rows = page.all(after, PAGE); rows.length > 0; rows = page.all(after, PAGE)) {
    for (const r of rows) insert.run(r.trialId, r.name, idOf(r), r.internal);
    copied += rows.length;
    after = rows[rows.length - 1].rowid;
  }
  checkNothingLeftBehind(db, file, copied);
  db.exec(SWAP);
}

/** Maps an old row to its study's distribution row, inserting each distinct one once. */
function distributionIds(db: Database.Database, file: string): (r: OldParam) => number {
  const insert = db.prepare<[number, string, string], { id: number }>(
    'INSERT INTO distributions (study_id, hash, json) VALUES (?, ?, ?) RETURNING distribution_id AS id',
  );
  const hashes = new Map<string, { hash: string; json: string }>(); // old JSON text → canonical form
  const ids = new Map<string, number>(); // `${studyId} ${hash}` → distribution_id
  return (r) => {
    let stored = hashes.get(r.json);
    if (!stored) hashes.set(r.json, (stored = storedDistribution(parseOld(r, file))));
    const key = `${r.studyId} ${stored.hash}`;
    let id = ids.get(key);
    if (id === undefined) {
      const row = insert.get(r.studyId, stored.hash, stored.json);
      if (!row) throw new Error('INSERT … RETURNING gave no row');
      ids.set(key, (id = row.id));
    }
    return id;
  };
}

/**
 * A version-1 distribution. Version 1 let a hand-written range omit `log` and `step` (which left the samplers
 * drawing NaN); today's code requires both, so they are filled with what such a range means: no log scale, no step.
 */
function parseOld(r: OldParam, file: string): Distribution {
  try {
    const d = JSON.parse(r.json) as Record<string, unknown>;
    if (d['kind'] === 'float' || d['kind'] === 'int') return { ...d, log: d['log'] ?? false, step: d['step'] ?? null } as unknown as Distribution;
    return d as unknown as Distribution;
  } catch (e) {
    throw new StorageError(
      `${file}: parameter "${r.name}" of trial id ${r.trialId} holds unreadable distribution JSON (${(e as Error).message}), ` +
        'so the store cannot be upgraded to schema version 2; it was left at version 1, unchanged. Restore the file from a backup',
      { cause: e },
    );
  }
}

/** Rows of trials that no longer exist (only possible with foreign keys off) cannot be placed in a study: refuse. */
function checkNothingLeftBehind(db: Database.Database, file: string, copied: number): void {
  const total = db.prepare('SELECT COUNT(*) FROM trial_params').pluck().get() as number;
  if (total === copied) return;
  throw new StorageError(
    `${file}: ${total - copied} row(s) of trial_params belong to no trial, so the store cannot be upgraded to schema ` +
      'version 2 without dropping them; it was left at version 1, unchanged. If they are not needed, delete them with ' +
      `sqlite3 ${file} "DELETE FROM trial_params WHERE trial_id NOT IN (SELECT trial_id FROM trials)" and open it again`,
  );
}
