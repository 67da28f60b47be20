import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParzenError } from '../../src/errors.js';
import { SuccessiveHalvingPruner } from '../../src/pruners/index.js';
import { frozenTrial, runningTrial } from './trial-fixtures.js';

// Three earlier trials that reached step 8 with values 1, 2, 3 at every step.
const earlier = [1, 2, 3].map((v, number) => frozenTrial({ number, values: Array.from({ length: 9 }, () => v) }));

test('nothing is judged before the first rung at minResource·η^minEarlyStoppingRate', () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1 });
  const ctx = { direction: 'minimize' as const, trials: earlier };
  // First rung at 2·2¹ = 4: a terrible trial survives steps 0–3 and is pruned at 4.
  const bad = (last: number) => runningTrial(earlier, Array.from({ length: last + 1 }, () => 100));
  assert.deepEqual([0, 1, 2, 3].map((s) => pruner.prune(ctx, bad(s), s)), [false, false, false, false]);
  assert.equal(pruner.prune(ctx, bad(4), 4), true);
});

test('a peer reporting sparsely is placed in a rung by its first report at or after the rung step', () => {
  // Rung 0 at step 4. The peer reported steps 0 and 6 only: its rung-0 value is the one at step 6 (= 1).
  const peer = frozenTrial({ number: 0, values: { 0: 100, 6: 1 } });
  const pruner = new SuccessiveHalvingPruner({ minResource: 4, reductionFactor: 4 });
  const ctx = { direction: 'minimize' as const, trials: [peer] };
  assert.equal(pruner.prune(ctx, runningTrial([peer], { 4: 0.5 }), 4), false);
  assert.equal(pruner.prune(ctx, runningTrial([peer], { 4: 50 }), 4), true);
});

test('a trial is not judged twice at a rung it passed at an earlier report', () => {
  // Rungs at 1 and 4. The trial passed rung 0 at step 1; at step 2 it is worse than every peer at rung 0,
  // but rung 1 (step 4) is not reached yet, so it runs on.
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 4 });
  const ctx = { direction: 'minimize' as const, trials: earlier };
  assert.equal(pruner.prune(ctx, runningTrial(earlier, [0, 0, 100]), 2), false);
});

test("minResource 'auto' waits for a COMPLETE trial, then uses 1/100 of its last step", () => {
  const pruner = new SuccessiveHalvingPruner({ reductionFactor: 2 });
  const running = [frozenTrial({ number: 0, state: 'RUNNING', values: Array.from({ length: 400 }, () => 1) })];
  assert.equal(pruner.ruleFor(running), null);
  assert.equal(pruner.prune({ direction: 'minimize', trials: running }, runningTrial(running, [100, 100, 100]), 2), false);
  const done = [frozenTrial({ number: 0, values: Array.from({ length: 400 }, () => 1) })];
  assert.equal(pruner.ruleFor(done)?.minResource, 3);
  const bad = Array.from({ length: 4 }, () => 100);
  assert.equal(pruner.prune({ direction: 'minimize', trials: done }, runningTrial(done, bad.slice(0, 3)), 2), false);
  assert.equal(pruner.prune({ direction: 'minimize', trials: done }, runningTrial(done, bad), 3), true);
});

test('bootstrapCount prunes at a rung until more than that many trials reached it', () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 3 });
  const two = earlier.slice(0, 2);
  // The best value of all, but only 3 trials (itself included) at rung 0: pruned.
  assert.equal(pruner.prune({ direction: 'minimize', trials: two }, runningTrial(two, [0, 0]), 1), true);
  assert.equal(pruner.prune({ direction: 'minimize', trials: earlier }, runningTrial(earlier, [0, 0]), 1), false);
});

test('a NaN at a rung prunes the trial, and NaN peers do not compete', () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
  const ctx = { direction: 'minimize' as const, trials: earlier };
  assert.equal(pruner.prune(ctx, runningTrial(earlier, [0, NaN]), 1), true);
  const nanPeers = [0, 1, 2].map((number) => frozenTrial({ number, state: 'PRUNED', values: [0, NaN] }));
  // Alone among real values at rung 0, the trial is the best so far and goes on.
  assert.equal(pruner.prune({ direction: 'minimize', trials: nanPeers }, runningTrial(nanPeers, [0, 1000]), 1), false);
});

test('prune with a step the trial did not report is a usage error, not a silent "keep"', () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 1 });
  assert.throws(
    () => pruner.prune({ direction: 'minimize', trials: earlier }, runningTrial(earlier, [1, 1]), 5),
    (e: unknown) => e instanceof ParzenError && e.code === 'USAGE' && /step 5/.test(e.message),
  );
});

test("with minResource 'auto' the first COMPLETE trial competes in the rungs its reports reached", () => {
  // Optuna records no rung values for trials run before the first completion; a pure pruner reads them.
  const pruner = new SuccessiveHalvingPruner({ reductionFactor: 4 });
  const first = [frozenTrial({ number: 0, values: Array.from({ length: 20 }, () => 1) })];
  assert.equal(pruner.prune({ direction: 'minimize', trials: first }, runningTrial(first, [5, 5]), 1), true);
  assert.equal(pruner.prune({ direction: 'minimize', trials: first }, runningTrial(first, [5, 0.5]), 1), false);
});
