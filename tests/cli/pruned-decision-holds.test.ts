import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStorage } from '../../src/storage/open.js';
import { fixture, tempStore, tune } from './cli.js';

interface TrialJson {
  number: number;
  state: string;
  value: number | null;
  intermediateValues: Record<string, number>;
  userAttrs: Record<string, unknown>;
}

function trialsOf(storage: string, study: string): TrialJson[] {
  const r = tune(['trials', '--study', study, '--json', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as TrialJson[];
}

const lastIntermediate = (t: TrialJson): number => t.intermediateValues[String(Math.max(...Object.keys(t.intermediateValues).map(Number)))];

/** The warning lines stored on trial `number` of `study`, read back from the SQLite file itself. */
async function storedWarnings(storage: string, study: string, number: number): Promise<string[]> {
  const s = await openStorage(storage);
  try {
    const { studyId } = await s.getStudy(study);
    const trial = (await s.getAllTrials(studyId)).find((t) => t.number === number);
    assert.ok(trial !== undefined);
    return (await s.getLogs({ trialId: trial.trialId })).filter((l) => l.level === 'warn').map((l) => l.message);
  } finally {
    await s.close();
  }
}

// --deterministic-batch 1: each trial is asked once the one before it finished, so which trials the median pruner
// stops depends on the seed alone, on the pool as in-process.
for (const workers of ['0', '2']) {
  test(`returning after ctx.shouldPrune() answered true stores the trial PRUNED, never COMPLETE (--workers ${workers})`, async () => {
    const storage = tempStore();
    const args = ['--objective', fixture('returns-when-pruned'), '--trials', '20', '--study', 'r', '--seed', '5', '--pruner', 'median'];
    const r = tune([...args, '--deterministic-batch', '1', '--workers', workers, '--storage', storage]);
    assert.equal(r.status, 0, r.stderr);
    const trials = trialsOf(storage, 'r');
    const told = trials.filter((t) => t.userAttrs['told_to_prune_at'] !== undefined);
    assert.ok(told.length > 0, `the median pruner should stop some of these trials; states: ${trials.map((t) => t.state).join(' ')}`);
    for (const t of told) {
      assert.equal(t.state, 'PRUNED', `trial ${t.number} was told to prune`);
      assert.equal(t.value, lastIntermediate(t));
      assert.match(r.stderr, new RegExp(`trial ${t.number} warn: the pruner said prune at step ${String(t.userAttrs['told_to_prune_at'])} .*stored PRUNED`));
      const [warning] = await storedWarnings(storage, 'r', t.number);
      assert.match(warning ?? '', /the decision holds: stored PRUNED with its last reported value\. Stop at the verdict with `if \(ctx\.shouldPrune\(\)\) ctx\.prune\(\);`/);
    }
    assert.ok(trials.filter((t) => t.state === 'COMPLETE').every((t) => t.userAttrs['told_to_prune_at'] === undefined));
    assert.match(r.stderr, new RegExp(`${told.length} PRUNED`));
  });

  test(`ctx.prune() stops a trial at the verdict as PRUNED with its last value, without a warning (--workers ${workers})`, () => {
    const storage = tempStore();
    const args = ['--objective', fixture('prunes-with-ctx'), '--trials', '20', '--study', 'c', '--seed', '5', '--pruner', 'median'];
    const r = tune([...args, '--deterministic-batch', '1', '--workers', workers, '--storage', storage]);
    assert.equal(r.status, 0, r.stderr);
    const pruned = trialsOf(storage, 'c').filter((t) => t.state === 'PRUNED');
    assert.ok(pruned.length > 0);
    for (const t of pruned) {
      assert.ok(Object.keys(t.intermediateValues).length < 8, `trial ${t.number} stopped early`);
      assert.equal(t.value, lastIntermediate(t));
    }
    assert.doesNotMatch(r.stderr, /warn:/);
  });
}
