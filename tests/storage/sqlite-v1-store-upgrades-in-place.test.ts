import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { StorageError } from '../../src/errors.js';
import type { Distribution } from '../../src/space/distributions.js';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/storage/sqlite/migrations.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { SAMPLE_DISTRIBUTIONS, SampleClock, storeAsJson, writeSampleTrials } from './fixtures/sample-trials.js';

/**
 * tests/storage/fixtures/v1-store.db was written by the schema-version-1 code (commit 79d7239, before
 * distributions were stored once per study) running fixtures/sample-trials.ts; v1-store.expected.json is how
 * that code read it back. See fixtures/make-v1-store.ts for the command.
 */
const FIXTURE = resolve('tests/storage/fixtures/v1-store.db');
const EXPECTED: unknown = JSON.parse(readFileSync(resolve('tests/storage/fixtures/v1-store.expected.json'), 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'parzen-v1-upgrade-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A private copy of the v1 fixture: the checked-in file is never opened for writing. */
function v1Copy(): string {
  const file = join(dir, `v1-${n++}.db`);
  copyFileSync(FIXTURE, file);
  return file;
}

function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const count = (db: Database.Database, sql: string) => db.prepare(sql).pluck().get() as number;

test('the v1 fixture really is a schema-version-1 store with a distribution copy per parameter', () => {
  inspect(FIXTURE, (db) => {
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    assert.equal(count(db, 'SELECT COUNT(*) FROM trial_params WHERE distribution_json IS NOT NULL'), 53);
  });
});

test('a v1 store is upgraded in place and reads back every study and trial exactly as the v1 code read them', async () => {
  const file = v1Copy();
  const storage = await SqliteStorage.open(file);
  try {
    assert.deepStrictEqual(await storeAsJson(storage), EXPECTED);
  } finally {
    await storage.close();
  }
  inspect(file, (db) => {
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
    assert.deepEqual(db.prepare('SELECT version FROM parzen_migrations ORDER BY version').pluck().all(), MIGRATIONS.map((m) => m.version));
    assert.equal(count(db, 'SELECT COUNT(*) FROM trial_params'), 53, 'every parameter row kept');
    const columns = (db.pragma('table_info(trial_params)') as { name: string }[]).map((c) => c.name);
    assert.deepEqual(columns, ['trial_id', 'name', 'distribution_id', 'internal']);
    // alpha uses 12 distinct distributions, beta 2 (big and act, stored again: rows belong to their study).
    const perStudy = db.prepare('SELECT s.name, COUNT(*) AS n FROM distributions d JOIN studies s USING (study_id) GROUP BY s.name ORDER BY s.name').all();
    assert.deepEqual(perStudy, [{ name: 'alpha', n: 12 }, { name: 'beta', n: 2 }]);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
  });
});

test('an upgraded v1 store and a store written by today\'s code hold the same FrozenTrials', async () => {
  const upgraded = await SqliteStorage.open(v1Copy());
  const clock = new SampleClock();
  const fresh = await SqliteStorage.open(join(dir, `fresh-${n++}.db`), { clock: clock.read });
  try {
    await writeSampleTrials(fresh, clock);
    assert.deepStrictEqual(await storeAsJson(fresh), EXPECTED);
    for (const name of ['alpha', 'beta']) {
      const [a, b] = [await upgraded.getStudy(name), await fresh.getStudy(name)];
      assert.deepStrictEqual(await upgraded.getAllTrials(a.studyId), await fresh.getAllTrials(b.studyId), `trials of ${name}`);
    }
  } finally {
    await upgraded.close();
    await fresh.close();
  }
});

test('after the upgrade, new trials reuse the distribution rows the migration wrote, whatever their key order', async () => {
  const file = v1Copy();
  const storage = await SqliteStorage.open(file);
  const before = inspect(file, (db) => count(db, 'SELECT COUNT(*) FROM distributions'));
  try {
    const alpha = await storage.getStudy('alpha');
    const t = await storage.createTrial(alpha.studyId, { params: { big: { distribution: SAMPLE_DISTRIBUTIONS.big, internal: 1 } } });
    const reordered = { choices: ['b', 'a', 'c'], kind: 'categorical' } as unknown as Distribution;
    await storage.setTrialParams(t.trialId, [
      { name: 'shuffled', distribution: { kind: 'categorical', choices: ['b', 'a', 'c'] }, internal: 0 },
      { name: 'lr', distribution: SAMPLE_DISTRIBUTIONS.lr, internal: 0.01 },
    ]);
    const other = await storage.createTrial(alpha.studyId, { params: { shuffled: { distribution: reordered, internal: 1 } } });
    assert.deepEqual((await storage.getTrial(other.trialId)).params, { shuffled: 'a' });
  } finally {
    await storage.close();
  }
  assert.equal(inspect(file, (db) => count(db, 'SELECT COUNT(*) FROM distributions')), before);
});

/** A v1 store made with the version-1 DDL, one study and trial, and raw `trial_params` rows as v1 wrote them. */
function v1StoreWith(rows: readonly { trialId: number; name: string; json: string }[]): string {
  const file = join(dir, `handmade-${n++}.db`);
  const db = new Database(file);
  try {
    migrate(db, file, MIGRATIONS.slice(0, 1));
    db.pragma('foreign_keys = OFF'); // lets a row name a trial that does not exist, as a store written without FKs could
    db.prepare("INSERT INTO studies (name, direction, created_at) VALUES ('s', 'minimize', 0)").run();
    db.prepare("INSERT INTO trials (study_id, number, state) VALUES (1, 0, 'RUNNING')").run();
    const insert = db.prepare('INSERT INTO trial_params (trial_id, name, distribution_json, internal) VALUES (?, ?, ?, 0)');
    for (const r of rows) insert.run(r.trialId, r.name, r.json);
  } finally {
    db.close();
  }
  return file;
}

const GOOD = JSON.stringify({ kind: 'int', low: 0, high: 3, log: false, step: 1 });

test('a v1 store holding unreadable distribution JSON is refused, naming the parameter, and left at version 1 unchanged', async () => {
  const file = v1StoreWith([{ trialId: 1, name: 'ok', json: GOOD }, { trialId: 1, name: 'broken', json: '{"kind": "int", ' }]);
  await assert.rejects(SqliteStorage.open(file), (e: unknown) => {
    assert.ok(e instanceof StorageError);
    assert.match(e.message, /parameter "broken" of trial id 1 holds unreadable distribution JSON/);
    assert.match(e.message, /left at version 1, unchanged/);
    return true;
  });
  inspect(file, (db) => {
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    assert.deepEqual(db.prepare('SELECT name, distribution_json FROM trial_params ORDER BY name').all(), [
      { name: 'broken', distribution_json: '{"kind": "int", ' },
      { name: 'ok', distribution_json: GOOD },
    ]);
    assert.equal(count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('distributions', 'trial_params_v2')"), 0);
  });
});

test('a v1 store with parameter rows of no trial is refused with the statement that removes them, and left unchanged', async () => {
  const file = v1StoreWith([{ trialId: 1, name: 'ok', json: GOOD }, { trialId: 99, name: 'orphan', json: GOOD }]);
  await assert.rejects(SqliteStorage.open(file), (e: unknown) => {
    assert.ok(e instanceof StorageError);
    assert.match(e.message, /1 row\(s\) of trial_params belong to no trial/);
    assert.match(e.message, /DELETE FROM trial_params WHERE trial_id NOT IN \(SELECT trial_id FROM trials\)/);
    return true;
  });
  inspect(file, (db) => {
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    assert.equal(count(db, 'SELECT COUNT(*) FROM trial_params'), 2);
  });
});
