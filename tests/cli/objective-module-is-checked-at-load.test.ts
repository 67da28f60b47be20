import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fixture, tempStore, tune } from './cli.js';

const noStackTrace = (s: string): void => assert.ok(!s.includes('    at '), `expected a message without a stack trace:\n${s}`);

function trialStates(storage: string, study: string): string[] {
  const r = tune(['trials', '--study', study, '--json', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { state: string }[]).map((t) => t.state);
}

test('a plain-object module with a hand-written range missing log/step exits 2 at load, naming the file, the field and the fix', () => {
  // Regression: it used to sample x = NaN and fail every trial.
  const storage = tempStore();
  const r = tune(['--objective', fixture('hand-written-space'), '--trials', '3', '--storage', storage, '--workers', '0']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /hand-written-space\.ts: space\.x: log is missing; make the distribution with float\(0, 1\) from 'parzen'/);
  noStackTrace(r.stderr);
  assert.doesNotMatch(r.stderr, /trial 0/);
  assert.equal(existsSync(storage.slice('sqlite:'.length)), false, 'nothing was stored');
});

test('a plain-object module whose space is made with float()/int() runs like defineObjective, in-process and on the pool', () => {
  for (const workers of ['0', '2']) {
    const storage = tempStore();
    const r = tune(['--objective', fixture('plain-object'), '--trials', '4', '--study', 'p', '--seed', '1', '--storage', storage, '--workers', workers]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(trialStates(storage, 'p'), ['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
  }
});

test('a plain object without a run function exits 2 and lists the keys it has', () => {
  const r = tune(['--objective', fixture('object-without-run'), '--storage', tempStore(), '--workers', '0']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /object-without-run\.ts must `export default defineObjective\(\{ space, direction, run\(params, ctx\) \}\)`/);
  assert.match(r.stderr, /its default export is an object without a run\(params, ctx\) function \(its keys: space, objective\)/);
  noStackTrace(r.stderr);
});

test('an objective that gives a study parameter another kind exits 2 naming both distributions; the study keeps its trials', () => {
  // `lr` is a log-float in quadratic.ts; lr-as-int.ts declares it int(1, 3) — Optuna refuses that too.
  const storage = tempStore();
  const first = tune(['--objective', fixture('quadratic'), '--trials', '3', '--study', 's', '--seed', '2', '--storage', storage, '--workers', '0']);
  assert.equal(first.status, 0, first.stderr);
  const r = tune(['--objective', fixture('lr-as-int'), '--trials', '3', '--study', 's', '--storage', storage, '--workers', '0']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /study "s": parameter "lr" is int\(1, 3\) here but float\(0\.0001, 1, \{ log: true \}\) in trial 0 of this study, and it is a float there and an int here/);
  assert.match(r.stderr, /give it another name, or start a new study/);
  noStackTrace(r.stderr);
  assert.deepEqual(trialStates(storage, 's'), ['COMPLETE', 'COMPLETE', 'COMPLETE']);
});
