import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PercentilePruner } from '../../src/pruners/index.js';
import { completeTrials, runningTrial } from './trial-fixtures.js';

// Eleven finished trials whose value at step 0 is 0, 10, …, 100.
const finished = completeTrials(Array.from({ length: 11 }, (_, i) => [i * 10]));

test('minimising with percentile 25 keeps values at or below the 25th percentile (25 here)', () => {
  const pruner = new PercentilePruner({ percentile: 25 });
  const ctx = { direction: 'minimize' as const, trials: finished };
  assert.equal(pruner.prune(ctx, runningTrial(finished, [25]), 0), false);
  assert.equal(pruner.prune(ctx, runningTrial(finished, [25.5]), 0), true);
});

test('maximising with percentile 25 keeps the top quarter: values at or above the 75th percentile', () => {
  const pruner = new PercentilePruner({ percentile: 25 });
  const ctx = { direction: 'maximize' as const, trials: finished };
  assert.equal(pruner.prune(ctx, runningTrial(finished, [75]), 0), false);
  assert.equal(pruner.prune(ctx, runningTrial(finished, [74]), 0), true);
});

test('the percentile interpolates linearly between neighbours, like numpy', () => {
  // Four values 0, 1, 2, 10: the 40th percentile sits at index 1.2 → 1 + 0.2·(2 − 1) = 1.2.
  const trials = completeTrials([[0], [1], [2], [10]]);
  const pruner = new PercentilePruner({ percentile: 40, nStartupTrials: 1 });
  const ctx = { direction: 'minimize' as const, trials };
  assert.equal(pruner.prune(ctx, runningTrial(trials, [1.2]), 0), false);
  assert.equal(pruner.prune(ctx, runningTrial(trials, [1.2000001]), 0), true);
});

test('percentile 100 never prunes a value inside the range and percentile 0 keeps only the best', () => {
  const ctx = { direction: 'minimize' as const, trials: finished };
  assert.equal(new PercentilePruner({ percentile: 100 }).prune(ctx, runningTrial(finished, [100]), 0), false);
  assert.equal(new PercentilePruner({ percentile: 0 }).prune(ctx, runningTrial(finished, [0]), 0), false);
  assert.equal(new PercentilePruner({ percentile: 0 }).prune(ctx, runningTrial(finished, [0.1]), 0), true);
});
