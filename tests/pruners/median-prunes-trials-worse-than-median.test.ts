import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MedianPruner } from '../../src/pruners/index.js';
import { completeTrials, runningTrial } from './trial-fixtures.js';

// Five finished trials; at step 2 their values are 3, 4, 5, 6, 7 (median 5).
const finished = completeTrials([
  [9, 5, 3],
  [9, 6, 4],
  [9, 7, 5],
  [9, 8, 6],
  [9, 9, 7],
]);

test('a minimising trial clearly above the median at its step is pruned, one below is not', () => {
  const pruner = new MedianPruner();
  const ctx = { direction: 'minimize' as const, trials: finished };
  assert.equal(pruner.prune(ctx, runningTrial(finished, [20, 20, 20]), 2), true);
  assert.equal(pruner.prune(ctx, runningTrial(finished, [9, 5, 4]), 2), false);
});

test('a maximising trial clearly below the median is pruned, one above is not', () => {
  const pruner = new MedianPruner();
  const ctx = { direction: 'maximize' as const, trials: finished };
  assert.equal(pruner.prune(ctx, runningTrial(finished, [0, 0, 1]), 2), true);
  assert.equal(pruner.prune(ctx, runningTrial(finished, [0, 0, 6]), 2), false);
});

test('a trial exactly at the median is kept (only strictly worse is pruned)', () => {
  const pruner = new MedianPruner();
  const ctx = { direction: 'minimize' as const, trials: finished };
  assert.equal(pruner.prune(ctx, runningTrial(finished, [9, 9, 5]), 2), false);
});

test('the trial is judged by its best value so far, not its latest one', () => {
  const pruner = new MedianPruner();
  const ctx = { direction: 'minimize' as const, trials: finished };
  // Latest value 50 is far above the median 5, but step 0 reached 1.
  assert.equal(pruner.prune(ctx, runningTrial(finished, [1, 30, 50]), 2), false);
});

test('the median is taken over values at the same step, not over final values', () => {
  const pruner = new MedianPruner();
  const ctx = { direction: 'minimize' as const, trials: finished };
  // At step 1 the median is 7: a 6.5 at step 1 survives although it is worse than every final value.
  assert.equal(pruner.prune(ctx, runningTrial(finished, [9, 6.5]), 1), false);
  assert.equal(pruner.prune(ctx, runningTrial(finished, [9, 7.5]), 1), true);
});
