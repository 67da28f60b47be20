import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TPESampler } from '../../src/samplers/index.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { optimize } from './fixtures.js';

const space = { x: float(-5, 5), lr: float(1e-5, 1e-1, { log: true }), n: int(2, 20, { step: 2 }), c: categorical(['a', 'b', 'c']) };
const objective = (p: Record<string, unknown>) => (p.x as number) ** 2 + Math.abs(Math.log10(p.lr as number) + 3) + (p.n as number) / 10 + (p.c === 'b' ? 0 : 1);

for (const multivariate of [false, true]) {
  const run = (seed: number) => optimize(new TPESampler({ seed, multivariate, nStartupTrials: 5 }), space, objective, 30).map((t) => t.params);

  test(`TPE (multivariate=${multivariate}) gives identical suggestions for the same seed`, () => {
    assert.deepEqual(run(42), run(42));
  });

  test(`TPE (multivariate=${multivariate}) gives different suggestions for different seeds after startup`, () => {
    assert.notDeepEqual(run(42).slice(5), run(43).slice(5));
  });
}
