import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GPSampler, RandomSampler } from '../../src/samplers/index.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { categorical, float } from '../../src/space/distributions.js';
import { optimize } from './fixtures.js';

// The categorical × log-float problem of no-tpe-option-is-worse-than-random-on-a-categorical-log-space.test.ts: the
// best learning rate depends on the choice, which a Hamming-distance kernel over (choice, log lr) can model jointly.
const space = { opt: categorical(['sgd', 'adam', 'rmsprop']), lr: float(1e-6, 1, { log: true }) };
const target: Record<string, number> = { sgd: -1, adam: -3.5, rmsprop: -2.5 };
const offset: Record<string, number> = { sgd: 0.6, adam: 0, rmsprop: 0.3 };
const objective = (p: Record<string, unknown>) => (Math.log10(p.lr as number) - target[p.opt as string]) ** 2 + offset[p.opt as string];

const SEEDS = 20;
const TRIALS = 25;
const bestPerSeed = (make: (seed: number) => Sampler): number[] =>
  Array.from({ length: SEEDS }, (_, seed) => Math.min(...optimize(make(seed), space, objective, TRIALS).map((t) => t.value as number)));

test('the GP (with and without its quasi-random start-up) beats random search on a categorical × log-float space, per seed and paired', () => {
  const random = bestPerSeed((seed) => new RandomSampler({ seed }));
  for (const withSpace of [true, false]) {
    const gp = bestPerSeed((seed) => new GPSampler({ seed, ...(withSpace ? { space } : {}) }));
    const d = gp.map((v, i) => v - random[i]);
    const mean = d.reduce((a, b) => a + b, 0) / SEEDS;
    const se = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (SEEDS - 1) / SEEDS);
    assert.ok(mean < -2 * se, `GP${withSpace ? '' : ' (uniform start-up)'} − random = ${mean.toFixed(4)} ± ${se.toFixed(4)}`);
  }
});
