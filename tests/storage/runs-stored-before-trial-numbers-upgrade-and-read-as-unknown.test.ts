import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStorage } from '../../src/storage/open.js';
import { MIGRATIONS, migrate } from '../../src/storage/sqlite/migrations.js';
import { PG_MIGRATIONS, migratePg } from '../../src/storage/postgres/migrations.js';
import type { Storage } from '../../src/storage/storage.js';
import { pgTestDatabase } from './pg-server.js';

/**
 * Runs written before runs recorded their study trial (SQLite schema 2, PostgreSQL schema 1) have no trial number.
 * Opening such a store upgrades it in place: the old run keeps every field and reads trialNumber null, and a new run
 * records its trial beside it.
 */
async function checkUpgraded(storage: Storage): Promise<void> {
  const [old] = await storage.listRuns();
  assert.deepEqual([old.studyName, old.trialNumber, old.subsystem, old.state, old.config, old.result], ['s', null, 'optimizer', 'COMPLETE', { lr: 0.01 }, { value: 0.5 }]);
  const fresh = await storage.createRun({ studyName: 's', trialNumber: 4, subsystem: 'optimizer', config: { lr: 0.02 }, codeVersion: null });
  assert.deepEqual((await storage.listRuns()).map((r) => [r.runId, r.trialNumber]), [[old.runId, null], [fresh.runId, 4]]);
}

const OLD_RUN_COLUMNS = '(study_name, subsystem, state, config_json, result_json, datetime_start, datetime_complete)';
const OLD_RUN_VALUES = `('s', 'optimizer', 'COMPLETE', '{"lr":0.01}', '{"value":0.5}', 1000, 2000)`;

test('a SQLite store at schema 2 with a run upgrades in place; the old run reads trialNumber null, a new one records it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-run-trial-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'v2.db');
  const db = new Database(file);
  migrate(db, file, MIGRATIONS.slice(0, 2));
  db.exec(`INSERT INTO runs ${OLD_RUN_COLUMNS} VALUES ${OLD_RUN_VALUES}`);
  db.close();
  const storage = await openStorage(`sqlite:${file}`);
  try {
    await checkUpgraded(storage);
  } finally {
    await storage.close();
  }
  const after3 = new Database(file, { readonly: true });
  assert.deepEqual(after3.prepare('SELECT version FROM parzen_migrations ORDER BY version').pluck().all(), MIGRATIONS.map((m) => m.version));
  after3.close();
});

test('a PostgreSQL store at schema 1 with a run upgrades in place; the old run reads trialNumber null, a new one records it', async () => {
  const db = await pgTestDatabase();
  const url = db.freshStoreUrl();
  const schema = new URL(url).searchParams.get('schema') as string;
  const pool = new pg.Pool({ connectionString: db.url, options: `-c search_path=${schema}` });
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await migratePg(client, 'the test store', PG_MIGRATIONS.slice(0, 1));
      await client.query(`INSERT INTO runs ${OLD_RUN_COLUMNS} VALUES ${OLD_RUN_VALUES}`);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
  const storage = await openStorage(url);
  try {
    await checkUpgraded(storage);
  } finally {
    await storage.close();
  }
});
