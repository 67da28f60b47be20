import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HyperbandPruner } from '../../src/pruners/index.js';
import { frozenTrial } from './trial-fixtures.js';

test('R = 27, r = 1, η = 3 gives 4 brackets with Hyperband’s budgets ⌈4·3^s/(s+1)⌉', () => {
  const layout = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }).layoutFor([]);
  assert.deepEqual(layout, { maxResource: 27, nBrackets: 4, budgets: [27, 12, 6, 4], totalBudget: 49 });
});

test('an exact power R/r = η^5 gives 6 brackets (a floating-point log would give 5)', () => {
  const layout = new HyperbandPruner({ minResource: 1, maxResource: 243, reductionFactor: 3 }).layoutFor([]);
  assert.equal(layout?.nBrackets, 6);
});

test('every trial number falls in exactly one bracket, the same one every time and in every instance', () => {
  const a = new HyperbandPruner({ maxResource: 81 });
  const b = new HyperbandPruner({ maxResource: 81 });
  const counts = [0, 0, 0, 0, 0];
  for (let n = 0; n < 2000; n++) {
    const bracket = a.bracketOf([], n);
    assert.ok(bracket !== null && Number.isInteger(bracket) && bracket >= 0 && bracket < 5, `trial ${n} → ${bracket}`);
    assert.equal(b.bracketOf([], n), bracket);
    assert.equal(a.bracketOf([], n), bracket);
    counts[bracket] += 1;
  }
  // Shares follow the budgets 81, 34, 15, 8, 5 out of 143 (within a few points for 2000 hashed numbers).
  const expected = [81, 34, 15, 8, 5].map((x) => (x / 143) * 2000);
  counts.forEach((c, i) => assert.ok(Math.abs(c - expected[i]) < 0.25 * expected[i] + 20, `bracket ${i}: ${c} vs ${expected[i]}`));
});

test('brackets are CRC-32 of "<studyName>_<number>", the same as Optuna 3.1 gives for that study name', () => {
  // Printed by Optuna 3.1: HyperbandPruner(min_resource=1, max_resource=27, reduction_factor=3)._get_bracket_id
  // on a study named "study", for trials 0..23.
  const optuna = [1, 0, 1, 0, 0, 1, 1, 0, 0, 3, 1, 2, 1, 1, 0, 1, 3, 0, 1, 1, 0, 0, 0, 1];
  const pruner = new HyperbandPruner({ maxResource: 27, studyName: 'study' });
  assert.deepEqual(optuna.map((_, n) => pruner.bracketOf([], n)), optuna);
});

test("maxResource 'auto' is unknown until a trial is COMPLETE, then the last step + 1 of the first one", () => {
  const pruner = new HyperbandPruner();
  assert.equal(pruner.bracketOf([], 0), null);
  const trials = [
    frozenTrial({ number: 1, values: Array.from({ length: 30 }, () => 1) }),
    frozenTrial({ number: 0, values: Array.from({ length: 9 }, () => 1) }),
  ];
  // Trial 0 is the first COMPLETE one: R = 8 + 1 = 9 → 3 brackets.
  assert.equal(pruner.layoutFor(trials)?.nBrackets, 3);
});
