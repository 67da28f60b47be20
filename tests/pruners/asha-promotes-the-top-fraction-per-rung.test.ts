import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SuccessiveHalvingPruner } from '../../src/pruners/index.js';
import { frozenTrial, runningTrial } from './trial-fixtures.js';
import type { FrozenTrial } from '../../src/core/frozen.js';

/** Trials 0..n−1 that reached rung 0 (step 1 with minResource 1) with the given values, then were pruned. */
function rungZero(values: readonly number[]): FrozenTrial[] {
  return values.map((v, number) => frozenTrial({ number, state: 'PRUNED', values: { 0: 50, 1: v } }));
}

test('with η = 4, a trial joining 11 others at rung 0 is promoted only within the best 3 of the 12', () => {
  // Peers at rung 0 hold 0, 10, 20, …, 100 (shuffled); with the newcomer there are 12, so ⌊12/4⌋ = 3 go on.
  const peers = rungZero([70, 10, 100, 0, 40, 90, 20, 60, 30, 80, 50]);
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
  const ctx = { direction: 'minimize' as const, trials: peers };
  const promoted = [-5, 5, 15, 25, 35, 200].map((v) => !pruner.prune(ctx, runningTrial(peers, { 0: 50, 1: v }), 1));
  // Sorted competing values with 15: 0, 10, 15 | 20 … → 15 is third and promoted; 25 is fourth.
  assert.deepEqual(promoted, [true, true, true, false, false, false]);
});

test('for maximisation the largest values are promoted', () => {
  const peers = rungZero([70, 10, 100, 0, 40, 90, 20, 60, 30, 80, 50]);
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
  const ctx = { direction: 'maximize' as const, trials: peers };
  const promoted = [300, 95, 85, 75, -1].map((v) => !pruner.prune(ctx, runningTrial(peers, { 0: 50, 1: v }), 1));
  assert.deepEqual(promoted, [true, true, true, false, false]);
});

test('in a population judged one by one, about 1/η of the trials pass each rung', () => {
  // Trials arrive in a fixed scrambled order of quality; each is judged against those before it (ASHA).
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
  const trials: FrozenTrial[] = [];
  let promoted = 0;
  for (let i = 0; i < 90; i++) {
    const v = (i * 37) % 90;
    const trial = runningTrial(trials, { 1: v });
    const pruned = pruner.prune({ direction: 'minimize', trials }, trial, 1);
    if (!pruned) promoted += 1;
    trials.push(frozenTrial({ number: i, state: pruned ? 'PRUNED' : 'RUNNING', values: { 1: v } }));
  }
  // About a third: each judgement keeps the top ⌊n/η⌋ of the n seen so far. Optuna 3.1 run on the same
  // sequence (SuccessiveHalvingPruner(min_resource=1, reduction_factor=3), one report at step 1) promotes 28.
  assert.equal(promoted, 28);
});

test('while fewer than η trials reached a rung, only the best so far is promoted', () => {
  const peers = rungZero([5]);
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
  const ctx = { direction: 'minimize' as const, trials: peers };
  assert.equal(pruner.prune(ctx, runningTrial(peers, { 0: 0, 1: 4 }), 1), false);
  assert.equal(pruner.prune(ctx, runningTrial(peers, { 0: 0, 1: 6 }), 1), true);
});

test('a promoted trial is judged again at the next rung, against the trials there', () => {
  // Rungs at steps 1 and 4 (η = 4). At rung 1 the others hold 2, 3, 9; a trial at 5 there is not promoted.
  const others = [2, 3, 9].map((v, number) => frozenTrial({ number, values: { 1: 0, 4: v } }));
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
  const ctx = { direction: 'minimize' as const, trials: others };
  assert.equal(pruner.prune(ctx, runningTrial(others, { 1: 0, 2: 0, 3: 0 }), 3), false);
  assert.equal(pruner.prune(ctx, runningTrial(others, { 1: 0, 2: 0, 3: 0, 4: 5 }), 4), true);
  assert.equal(pruner.prune(ctx, runningTrial(others, { 1: 0, 2: 0, 3: 0, 4: 1 }), 4), false);
});
