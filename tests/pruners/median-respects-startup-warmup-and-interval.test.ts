import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MedianPruner } from '../../src/pruners/index.js';
import { completeTrials, frozenTrial, runningTrial } from './trial-fixtures.js';

const good = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
const bad = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100];

test('nothing is pruned before nStartupTrials trials are COMPLETE', () => {
  const pruner = new MedianPruner({ nStartupTrials: 3 });
  const two = completeTrials([good, good]);
  assert.equal(pruner.prune({ direction: 'minimize', trials: two }, runningTrial(two, bad.slice(0, 6)), 5), false);
  const three = completeTrials([good, good, good]);
  assert.equal(pruner.prune({ direction: 'minimize', trials: three }, runningTrial(three, bad.slice(0, 6)), 5), true);
});

test('running, pruned and failed trials do not count as startup trials', () => {
  const pruner = new MedianPruner({ nStartupTrials: 2 });
  const trials = [
    frozenTrial({ number: 0, values: good }),
    frozenTrial({ number: 1, state: 'PRUNED', values: [1, 1] }),
    frozenTrial({ number: 2, state: 'FAIL', values: good }),
    frozenTrial({ number: 3, state: 'RUNNING', values: good }),
  ];
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, bad.slice(0, 6)), 5), false);
  const twoComplete = [...trials, frozenTrial({ number: 4, values: good })];
  assert.equal(pruner.prune({ direction: 'minimize', trials: twoComplete }, runningTrial(twoComplete, bad.slice(0, 6)), 5), true);
});

test('steps below nWarmupSteps are never pruned', () => {
  const pruner = new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 3 });
  const trials = completeTrials([good]);
  const ctx = { direction: 'minimize' as const, trials };
  assert.equal(pruner.prune(ctx, runningTrial(trials, bad.slice(0, 3)), 2), false);
  assert.equal(pruner.prune(ctx, runningTrial(trials, bad.slice(0, 4)), 3), true);
});

test('with intervalSteps the check runs only at warm-up + k·interval', () => {
  const pruner = new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 1, intervalSteps: 3 });
  const trials = completeTrials([good]);
  const ctx = { direction: 'minimize' as const, trials };
  const decisions = [1, 2, 3, 4, 5, 6, 7].map((step) => pruner.prune(ctx, runningTrial(trials, bad.slice(0, step + 1)), step));
  assert.deepEqual(decisions, [true, false, false, true, false, false, true]);
});

test('a check missed because nothing was reported at the checkpoint happens at the next report', () => {
  const pruner = new MedianPruner({ nStartupTrials: 1, intervalSteps: 4 });
  const trials = completeTrials([good]);
  const ctx = { direction: 'minimize' as const, trials };
  // Reports at steps 0, 3 and 5 (checkpoints 0, 4, 8): step 5 is the first report since checkpoint 4.
  const sparse = runningTrial(trials, { 0: 100, 3: 100, 5: 100 });
  assert.equal(pruner.prune(ctx, sparse, 5), true);
  const dense = runningTrial(trials, { 0: 100, 3: 100, 4: 100, 5: 100 });
  assert.equal(pruner.prune(ctx, dense, 5), false);
});

test('nMinTrials: no pruning at a step fewer trials reported', () => {
  const pruner = new MedianPruner({ nStartupTrials: 1, nMinTrials: 3 });
  const trials = completeTrials([good, good, good.slice(0, 4)]);
  const ctx = { direction: 'minimize' as const, trials };
  assert.equal(pruner.prune(ctx, runningTrial(trials, bad.slice(0, 4)), 3), true);
  assert.equal(pruner.prune(ctx, runningTrial(trials, bad.slice(0, 6)), 5), false);
});
