import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, tempStore, tune } from '../cli/cli.js';

// quadratic: (x − 1)² over x ∈ [−3, 3] (up to 16) dwarfs (n − 3)² (up to 4) and kind (0.5).
test('tune importance ranks the params of a real study, as a table or as JSON, and names a missing study', () => {
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
});
