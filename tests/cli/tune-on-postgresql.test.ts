import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pgTestDatabase } from '../storage/pg-server.js';
import { tempStore, tune } from './cli.js';

interface TrialJson {
  number: number;
  state: string;
  value: number;
  params: { x: number; y: number };
}

const db = await pgTestDatabase();

function branin(storage: string): void {
  const r = tune(['--objective', 'examples/branin.ts', '--trials', '24', '--study', 'b', '--seed', '3', '--workers', '2', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
}

test('tune --storage postgresql://… runs Branin, trials/best/studies read it back, and the trials equal the same seed on SQLite', () => {
  branin(db.url);
  const listed = tune(['trials', '--study', 'b', '--json', '--storage', db.url]);
  assert.equal(listed.status, 0, listed.stderr);
  const trials = JSON.parse(listed.stdout) as TrialJson[];
  assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 24 }, (_, i) => i));
  assert.ok(trials.every((t) => t.state === 'COMPLETE'));

  const best = tune(['best', '--study', 'b', '--json', '--storage', db.url]);
  assert.equal(best.status, 0, best.stderr);
  assert.equal((JSON.parse(best.stdout) as TrialJson).value, Math.min(...trials.map((t) => t.value)));
  const studies = tune(['studies', '--storage', db.url]);
  assert.equal(studies.status, 0, studies.stderr);
  assert.match(studies.stdout, /\bb\b.*24/);

  // The store must not change what is sampled: a seeded study on SQLite asks the very same points.
  const sqlite = tempStore();
  branin(sqlite);
  const onSqlite = JSON.parse(tune(['trials', '--study', 'b', '--json', '--storage', sqlite]).stdout) as TrialJson[];
  assert.deepEqual(trials.map((t) => t.params), onSqlite.map((t) => t.params));
});

test('tune on an unreachable PostgreSQL server exits 1 with one line naming the URL without its password, no stack', () => {
  const r = tune(['studies', '--storage', 'postgresql://root:hunter2@127.0.0.1:1/tuning']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /no PostgreSQL server answered at postgresql:\/\/root:\*\*\*@127\.0\.0\.1:1\/tuning/);
  assert.doesNotMatch(r.stderr, /hunter2|\n\s+at /);
});

test('a PostgreSQL database that does not exist exits 2, with the createdb that makes it', () => {
  const u = new URL(db.url);
  u.pathname = '/parzen_no_such_db';
  const r = tune(['--objective', 'examples/branin.ts', '--trials', '1', '--storage', u.toString()]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /database "parzen_no_such_db" does not exist.*createdb parzen_no_such_db/);
});
