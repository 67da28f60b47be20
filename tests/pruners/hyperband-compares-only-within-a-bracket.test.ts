import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HyperbandPruner } from '../../src/pruners/index.js';
import { frozenTrial } from './trial-fixtures.js';

// With studyName 'study', R = 27, η = 3 the brackets of trials 0..14 are
// 1 0 1 0 0 1 1 0 0 3 1 2 1 1 0 (see the partition test); bracket b has rungs at 3^b, 3^(b+1), …
const pruner = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3, studyName: 'study' });
const bracketOne = [0, 2, 5, 6];
const bracketZero = [1, 3, 4, 7, 8];

// Bracket-1 trials were poor (100 at steps 0..3), bracket-0 trials excellent (0).
const trials = [
  ...bracketOne.map((number) => frozenTrial({ number, values: [100, 100, 100, 100] })),
  ...bracketZero.map((number) => frozenTrial({ number, values: [0, 0, 0, 0] })),
];

test('the brackets used by these fixtures are the expected ones', () => {
  assert.deepEqual(bracketOne.map((n) => pruner.bracketOf(trials, n)), [1, 1, 1, 1]);
  assert.deepEqual(bracketZero.map((n) => pruner.bracketOf(trials, n)), [0, 0, 0, 0, 0]);
  assert.equal(pruner.bracketOf(trials, 10), 1);
  assert.equal(pruner.bracketOf(trials, 14), 0);
});

test('a bracket-1 trial is judged against bracket 1 only: a middling value beats the poor peers there', () => {
  const trial = frozenTrial({ number: 10, state: 'RUNNING', values: [50, 50, 50, 50] });
  assert.equal(pruner.prune({ direction: 'minimize', trials }, trial, 3), false);
  // Adding many more excellent bracket-0 trials does not change the decision.
  const more = [...trials, ...[14, 20, 21, 22].map((number) => frozenTrial({ number, values: [0, 0, 0, 0] }))];
  assert.deepEqual([14, 20, 21, 22].map((n) => pruner.bracketOf(more, n)), [0, 0, 0, 0]);
  assert.equal(pruner.prune({ direction: 'minimize', trials: more }, trial, 3), false);
});

test('the same middling value in bracket 0 faces the excellent peers and is pruned', () => {
  const trial = frozenTrial({ number: 14, state: 'RUNNING', values: [50, 50] });
  assert.equal(pruner.prune({ direction: 'minimize', trials }, trial, 1), true);
});

test('a bracket-1 trial is not judged before its first rung at step 3; a bracket-0 trial is judged at step 1', () => {
  const awful = [1000, 1000, 1000];
  assert.equal(pruner.prune({ direction: 'minimize', trials }, frozenTrial({ number: 10, state: 'RUNNING', values: awful }), 2), false);
  assert.equal(pruner.prune({ direction: 'minimize', trials }, frozenTrial({ number: 14, state: 'RUNNING', values: awful.slice(0, 2) }), 1), true);
});
