import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tempStore, tune } from './cli.js';

interface TrialJson {
  number: number;
  state: string;
  value: number | null;
  params: { x: number };
  intermediateValues: Record<string, number>;
}

test('--pruner median stores unpromising trials as PRUNED with their last step and value', () => {
  const storage = tempStore();
  const r = tune(['--objective', fixture('curves'), '--trials', '30', '--study', 'p', '--seed', '5', '--pruner', 'median', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  const trials = JSON.parse(tune(['trials', '--study', 'p', '--json', '--storage', storage]).stdout) as TrialJson[];
  const pruned = trials.filter((t) => t.state === 'PRUNED');
  assert.ok(pruned.length > 0, 'some trials should be pruned');
  for (const t of pruned) {
    const steps = Object.keys(t.intermediateValues).map(Number);
    assert.ok(steps.length < 8, 'a pruned trial stops early');
    assert.equal(t.value, t.intermediateValues[String(Math.max(...steps))]);
  }
  const complete = trials.filter((t) => t.state === 'COMPLETE');
  assert.ok(complete.length >= 5);
});

test('export-baseline writes the best params with provenance; tune train refuses a baseline that is not a subsystem', () => {
  const storage = tempStore();
  assert.equal(tune(['--objective', fixture('quadratic'), '--trials', '12', '--study', 'e', '--seed', '3', '--storage', storage]).status, 0);
  const best = JSON.parse(tune(['best', '--study', 'e', '--json', '--storage', storage]).stdout) as TrialJson;
  const out = join(mkdtempSync(join(tmpdir(), 'parzen-baseline-')), 'nested', 'e.json');
  const r = tune(['export-baseline', '--study', 'e', '--out', out, '--json', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  const baseline = JSON.parse(readFileSync(out, 'utf8')) as {
    parzenBaseline: number;
    objective: string;
    config: Record<string, unknown>;
    params: Record<string, unknown>;
    provenance: { study: string; trialNumber: number; value: number; seed: number; codeVersion?: string; trialCodeVersion: string; exportedAt: string };
  };
  assert.equal(baseline.parzenBaseline, 1);
  assert.deepEqual(baseline.params, best.params);
  assert.deepEqual(baseline.config, best.params);
  assert.equal(baseline.provenance.study, 'e');
  assert.equal(baseline.provenance.trialNumber, best.number);
  assert.equal(baseline.provenance.value, best.value);
  assert.equal(baseline.provenance.seed, 3);
  assert.match(baseline.provenance.trialCodeVersion, /^parzen@/);
  assert.match(baseline.objective, /quadratic\.ts$/);
  const train = tune(['train', '--baseline', out, '--storage', storage]);
  assert.equal(train.status, 2);
  assert.match(train.stderr, /has no "subsystem"/);
});

test('tune studies lists each study with its counts and best value', () => {
  const storage = tempStore();
  assert.equal(tune(['--objective', fixture('quadratic'), '--trials', '3', '--study', 's1', '--seed', '1', '--storage', storage]).status, 0);
  const studies = JSON.parse(tune(['studies', '--json', '--storage', storage]).stdout) as { name: string; nTrials: number; counts: { COMPLETE: number } }[];
  assert.deepEqual(studies.map((s) => [s.name, s.nTrials, s.counts.COMPLETE]), [['s1', 3, 3]]);
});
