import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPTUNA31_TPE_OPTIONS, TPESampler } from '../../src/samplers/index.js';
import { improvementWeights } from '../../src/samplers/tpe/sampler.js';
import { groupObservations, splitTrials } from '../../src/samplers/tpe/split-trials.js';
import { float } from '../../src/space/distributions.js';
import { frozenTrial, optimize } from './fixtures.js';

const x = float(0, 1);
const trial = (number: number, value: number, state: 'COMPLETE' | 'PRUNED' = 'COMPLETE') =>
  frozenTrial({ number, value, state, params: { x: number / 10 }, distributions: { x }, intermediate: state === 'PRUNED' ? [[1, value]] : [] });

test('good trials are weighted by how far they beat the best bad trial, the prior by their mean', () => {
  const trials = [trial(0, 5), trial(1, 1), trial(2, 3), trial(3, 4), trial(4, 2)];
  const split = splitTrials(trials, { direction: 'minimize', constantLiar: false, nBelow: () => 2, exclude: -1 });
  const { belowLosses } = groupObservations(split, ['x'], [x]);
  const w = improvementWeights(split, belowLosses);
  // Good: values 1 and 2 (trial order), best bad value 3.
  assert.deepEqual(w && Array.from(w.observations), [2, 1]);
  assert.equal(w?.prior, 1.5);
  const max = splitTrials(trials, { direction: 'maximize', constantLiar: false, nBelow: () => 2, exclude: -1 });
  // Maximising: good are 5 and 4, best bad 3 → improvements 2 and 1.
  const wm = improvementWeights(max, groupObservations(max, ['x'], [x]).belowLosses);
  assert.deepEqual(wm && Array.from(wm.observations), [2, 1]);
});

test('a pruned good trial, having no final value, turns improvement weighting off for that step', () => {
  const trials = [trial(0, 5), trial(1, 1), trial(2, 3)];
  const split = splitTrials([...trials, trial(3, 0.5, 'PRUNED')], { direction: 'minimize', constantLiar: false, nBelow: () => 4, exclude: -1 });
  assert.equal(improvementWeights(split, groupObservations(split, ['x'], [x]).belowLosses), undefined);
});

test('univariate TPE with improvement weighting concentrates on a 1-D quadratic like the age-weighted one', () => {
  let total = 0;
  for (let seed = 0; seed < 6; seed++) {
    const h = optimize(new TPESampler({ ...OPTUNA31_TPE_OPTIONS, seed, goodWeighting: 'improvement' }), { x: float(-10, 10) }, (p) => ((p.x as number) - 2.5) ** 2, 50);
    for (const t of h.slice(30)) total += Math.abs((t.params.x as number) - 2.5) / 20 / 6;
  }
  // Random search averages about 5 away on this range.
  assert.ok(total < 2, `mean distance ${total.toFixed(3)}`);
});
