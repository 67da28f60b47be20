import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MedianPruner, PercentilePruner } from '../../src/pruners/index.js';
import { completeTrials, runningTrial } from './trial-fixtures.js';

test('a trial that has reported only NaN is pruned', () => {
  const trials = completeTrials([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
  const pruner = new MedianPruner();
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [NaN, NaN]), 1), true);
});

test('a NaN among the trial’s reports is ignored in favour of its best real value', () => {
  const trials = completeTrials([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
  const pruner = new MedianPruner();
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [1, NaN]), 1), false);
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [9, NaN]), 1), true);
});

test('NaN values of other trials are left out of the percentile', () => {
  // Without the NaN the median of 1, 2, 3 is 2.
  const trials = completeTrials([[1], [2], [3], [NaN]]);
  const pruner = new PercentilePruner({ percentile: 50, nStartupTrials: 1 });
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [2]), 0), false);
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [2.5]), 0), true);
});

test('when every other value at the step is NaN nothing is pruned', () => {
  const trials = completeTrials([[NaN], [NaN]]);
  const pruner = new PercentilePruner({ percentile: 50, nStartupTrials: 1 });
  assert.equal(pruner.prune({ direction: 'maximize', trials }, runningTrial(trials, [-1e9]), 0), false);
});

test('infinite values are compared, not dropped', () => {
  const trials = completeTrials([[1], [2], [Infinity], [Infinity], [Infinity]]);
  const pruner = new MedianPruner({ nStartupTrials: 1 });
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [1e300]), 0), false);
  assert.equal(pruner.prune({ direction: 'maximize', trials }, runningTrial(trials, [1e300]), 0), true);
});
