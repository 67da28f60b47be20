import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { LATEST_VERSION } from '../../src/storage/sqlite/migrations.js';
import { fixture, tune } from './cli.js';

/** Issue 16, item 11, through the real CLI: a 10k-choice categorical was stored once per trial (2.4 MB after 30). */
const dir = mkdtempSync(join(tmpdir(), 'parzen-cli-dists-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LIST_BYTES = JSON.stringify({ kind: 'categorical', choices: Array.from({ length: 10000 }, (_, i) => `v${i}`) }).length;

function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

test('tune with a 10,000-choice categorical stores its choice list once, not once per trial, and shows the chosen values', () => {
  const file = join(dir, 'big.db');
  // cwd: the temporary folder, so the study's logs are not filed inside the repository.
  const run = tune(['--objective', fixture('big-categorical'), '--trials', '30', '--study', 'big', '--seed', '1', '--sampler', 'random', '--workers', '0', '--storage', `sqlite:${file}`], { cwd: dir });
  assert.equal(run.status, 0, run.stderr);
  const size = statSync(file).size;
  assert.ok(size < 5 * LIST_BYTES, `30 trials made a ${size}-byte file; one choice list is ${LIST_BYTES} bytes`);
  assert.equal(inspect(file, (db) => db.prepare('SELECT COUNT(*) FROM distributions').pluck().get()), 2);
  const listed = tune(['trials', '--study', 'big', '--json', '--storage', `sqlite:${file}`], { cwd: dir });
  assert.equal(listed.status, 0, listed.stderr);
  const trials = JSON.parse(listed.stdout) as { params: { token: string; x: number } }[];
  assert.equal(trials.length, 30);
  for (const t of trials) assert.match(t.params.token, /^v\d{1,4}$/);
  assert.ok(new Set(trials.map((t) => t.params.token)).size > 20, 'the tokens vary across trials');
});

test('tune studies on a store written by schema version 1 upgrades it in place and lists what it held', () => {
  const file = join(dir, 'v1.db');
  copyFileSync(resolve('tests/storage/fixtures/v1-store.db'), file);
  const expected = JSON.parse(readFileSync(resolve('tests/storage/fixtures/v1-store.expected.json'), 'utf8')) as {
    study: { name: string };
    trials: { number: number; params: Record<string, unknown> }[];
  }[];
  const studies = tune(['studies', '--json', '--storage', `sqlite:${file}`], { cwd: dir });
  assert.equal(studies.status, 0, studies.stderr);
  assert.deepEqual((JSON.parse(studies.stdout) as { name: string }[]).map((s) => s.name).sort(), ['alpha', 'beta']);
  assert.equal(inspect(file, (db) => db.pragma('user_version', { simple: true })), LATEST_VERSION);
  for (const { study, trials } of expected) {
    const r = tune(['trials', '--study', study.name, '--json', '--storage', `sqlite:${file}`], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { number: number; params: Record<string, unknown> }[];
    assert.deepEqual(got.map((t) => [t.number, t.params]), trials.map((t) => [t.number, t.params]), `trials of ${study.name}`);
  }
});

test('a store written by a newer parzen is refused by every command with one line saying to upgrade, and left as it was', () => {
  const file = join(dir, 'future.db');
  const db = new Database(file);
  db.exec('CREATE TABLE parzen_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const future = LATEST_VERSION + 1;
  const insert = db.prepare('INSERT INTO parzen_migrations VALUES (?, ?, 0)');
  for (let v = 1; v <= future; v++) insert.run(v, v === future ? 'from the future' : `known ${v}`);
  db.close();
  for (const args of [['studies'], ['--objective', fixture('quadratic'), '--trials', '1', '--workers', '0']]) {
    const r = tune([...args, '--storage', `sqlite:${file}`], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`has schema version ${future} but this parzen knows up to ${LATEST_VERSION}; upgrade parzen`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(inspect(file, (d) => d.prepare('SELECT version FROM parzen_migrations').pluck().all()), Array.from({ length: future }, (_, i) => i + 1));
  }
});
