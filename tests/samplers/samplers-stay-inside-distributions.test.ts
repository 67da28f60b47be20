import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomSampler, TPESampler } from '../../src/samplers/index.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { type Distribution, categorical, float, int, isContained } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';
import { optimize } from './fixtures.js';

/** A random distribution: float/int, with or without log or step, or a categorical. */
function randomDistribution(rng: Rng): Distribution {
  const kind = rng.int(6);
  const low = Math.round(rng.uniform(-50, 50) * 100) / 100;
  const width = 10 ** rng.uniform(-2, 2);
  switch (kind) {
    case 0:
      return float(low, low + width);
    case 1:
      return float(Math.abs(low) + 1e-3, Math.abs(low) + 1e-3 + width * 10, { log: true });
    case 2:
      return float(low, low + width, { step: width / (1 + rng.int(7)) / 1.5 });
    case 3:
      return int(Math.round(low), Math.round(low) + 1 + rng.int(30), { step: 1 + rng.int(3) });
    case 4:
      return int(1 + rng.int(10), 11 + rng.int(1000), { log: true });
    default:
      return categorical(['a', 1, true, null, 2.5].slice(0, 1 + rng.int(5)));
  }
}

const samplers: Array<[string, (seed: number) => Sampler]> = [
  ['random', (seed) => new RandomSampler({ seed })],
  ['univariate TPE', (seed) => new TPESampler({ seed, nStartupTrials: 3 })],
  ['multivariate TPE', (seed) => new TPESampler({ seed, nStartupTrials: 3, multivariate: true })],
  ['TPE without prior or magic clip', (seed) => new TPESampler({ seed, nStartupTrials: 3, considerPrior: false, considerMagicClip: false, considerEndpoints: true })],
];

for (const [label, make] of samplers) {
  test(`${label}: every suggestion lies inside its distribution, over random spaces`, () => {
    const rng = new Rng(2024);
    for (let s = 0; s < 12; s++) {
      const space: Record<string, Distribution> = {};
      for (let p = 0; p < 4; p++) space[`p${p}`] = randomDistribution(rng);
      const objective = (x: Record<string, unknown>) => Object.values(x).reduce<number>((acc, v) => acc + (typeof v === 'number' ? Math.sin(v) : 0.3), 0);
      const history = optimize(make(s), space, objective, 25);
      for (const t of history) {
        for (const [name, d] of Object.entries(space)) {
          assert.ok(isContained(d, t.params[name]), `${name}=${String(t.params[name])} not in ${JSON.stringify(d)}`);
        }
      }
    }
  });
}
