import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from '../cli/cli.js';

// quadratic: (x − 1)² over x ∈ [−3, 3] (up to 16) dwarfs (n − 3)² (up to 4) and kind (0.5).
test('tune importance ranks the params of a real study by PED-ANOVA or --method fanova, as a table or as JSON, and names a missing study', () => {
  const storage = tempStore();
  const run = tune(['--objective', fixture('quadratic'), '--sampler', 'random', '--trials', '200', '--study', 'q', '--seed', '1', '--storage', storage]);
  assert.equal(run.status, 0, run.stderr);
  const json = tune(['importance', '--study', 'q', '--storage', storage, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const r = JSON.parse(json.stdout) as { method: string; nTrials: number; nTopTrials: number; importances: { param: string; importance: number }[] };
  assert.equal(r.method, 'ped-anova');
  assert.equal(r.nTrials, 200);
  assert.equal(r.nTopTrials, 20);
  assert.deepEqual(r.importances.map((p) => p.param).slice(0, 2), ['x', 'n']);
  assert.equal(r.importances.at(-1)?.param, 'kind');
  const table = tune(['importance', '--study', 'q', '--storage', storage]);
  assert.equal(table.status, 0);
  assert.match(table.stdout.split('\n')[1], /^x\s+0\.\d{4}\s+█+/);
  assert.match(table.stderr, /PED-ANOVA over 200 COMPLETE trials; top 20/);
  const missing = tune(['importance', '--study', 'nope', '--storage', storage]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope/);
  assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/, 'no stack trace for a user fault');
  const bad = tune(['importance', '--study', 'q', '--storage', storage, '--quantile', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--quantile/);

  // fANOVA: the variances of the objective's terms order them x (Var 19.2) > n (2.8) > lr (|log10 lr + 2|: 1/3) > kind (1/16).
  const fanova = tune(['importance', '--study', 'q', '--storage', storage, '--method', 'fanova', '--trees', '16', '--json']);
  assert.equal(fanova.status, 0, fanova.stderr);
  const f = JSON.parse(fanova.stdout) as { method: string; nTrials: number; nTrees: number; importances: { param: string; importance: number; varianceFraction: number }[] };
  assert.equal(f.method, 'fanova');
  assert.equal(f.nTrees, 16);
  assert.deepEqual(f.importances.map((p) => p.param), ['x', 'n', 'lr', 'kind']);
  assert.ok(f.importances[0].importance > 0.6, JSON.stringify(f.importances));
  const fTable = tune(['importance', '--study', 'q', '--storage', storage, '--method', 'fanova', '--trees', '8']);
  assert.equal(fTable.status, 0, fTable.stderr);
  assert.match(fTable.stderr, /fANOVA over 200 COMPLETE trials \(8 trees, \d+ ms\); the main effects explain [\d.]+ % of the variance/);
  const badTrees = tune(['importance', '--study', 'q', '--storage', storage, '--method', 'fanova', '--trees', '0']);
  assert.equal(badTrees.status, 2);
  assert.match(badTrees.stderr, /--trees must be an integer 1–10000/);
});
