import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MedianPruner } from '../../src/pruners/index.js';
import { frozenTrial, runningTrial } from './trial-fixtures.js';

// Two COMPLETE trials at 1 and 2 at step 0, three PRUNED ones at 10, 11, 12, one RUNNING at 0.
const trials = [
  frozenTrial({ number: 0, values: [1] }),
  frozenTrial({ number: 1, values: [2] }),
  frozenTrial({ number: 2, state: 'PRUNED', values: [10] }),
  frozenTrial({ number: 3, state: 'PRUNED', values: [11] }),
  frozenTrial({ number: 4, state: 'PRUNED', values: [12] }),
  frozenTrial({ number: 5, state: 'RUNNING', values: [0] }),
  frozenTrial({ number: 6, state: 'FAIL', values: [0] }),
];

test('by default only COMPLETE trials set the bar, as in Optuna 3.1 (median 1.5 here)', () => {
  const pruner = new MedianPruner({ nStartupTrials: 1 });
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [5]), 0), true);
});

test('with includePruned the PRUNED trials join the comparison (median 10)', () => {
  const pruner = new MedianPruner({ nStartupTrials: 1, includePruned: true });
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [5]), 0), false);
});

test('with includePruned, PRUNED trials still do not count as startup trials', () => {
  const pruner = new MedianPruner({ nStartupTrials: 3, includePruned: true });
  assert.equal(pruner.prune({ direction: 'minimize', trials }, runningTrial(trials, [50]), 0), false);
});
