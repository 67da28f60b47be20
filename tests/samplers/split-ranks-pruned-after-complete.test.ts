import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitTrials } from '../../src/samplers/tpe/split-trials.js';
import { frozenTrial } from './fixtures.js';

const trials = [
  frozenTrial({ number: 0, state: 'PRUNED', intermediate: [[0, 0.01], [5, 0.02]] }),
  frozenTrial({ number: 1, value: 3 }),
  frozenTrial({ number: 2, state: 'PRUNED', intermediate: [[0, 0.5], [9, 0.9]] }),
  frozenTrial({ number: 3, value: 5 }),
  frozenTrial({ number: 4, state: 'PRUNED' }),
  frozenTrial({ number: 5, state: 'FAIL' }),
  frozenTrial({ number: 6, state: 'PRUNED', intermediate: [[9, 0.1]] }),
];

/** Trial numbers in rank order, read off successive splits. */
function ranking(direction: 'minimize' | 'maximize'): number[] {
  const order: number[] = [];
  for (let k = 1; k <= 6; k++) {
    const split = splitTrials(trials, { direction, constantLiar: false, nBelow: () => k, exclude: -1 });
    const below = Array.from(split.numbers).filter((_, i) => split.isBelow[i] === 1);
    order.push(below.find((n) => !order.includes(n)) as number);
  }
  return order;
}

test('complete trials rank first, then pruned ones by later last step, then by value; failed ones are left out', () => {
  // Pruned trial 0 has the smallest value of all but was pruned at step 5, behind 6 and 2 (step 9);
  // trial 4 was pruned before reporting anything and comes last.
  assert.deepEqual(ranking('minimize'), [1, 3, 6, 2, 0, 4]);
});

test('maximisation ranks the largest values first, pruned trials still after complete ones', () => {
  assert.deepEqual(ranking('maximize'), [3, 1, 2, 6, 0, 4]);
});

test('the number of finished trials counts complete and pruned trials, not failed ones', () => {
  const split = splitTrials(trials, { direction: 'minimize', constantLiar: false, nBelow: () => 1, exclude: -1 });
  assert.equal(split.nFinished, 6);
  assert.deepEqual(Array.from(split.numbers), [0, 1, 2, 3, 4, 6]);
});
