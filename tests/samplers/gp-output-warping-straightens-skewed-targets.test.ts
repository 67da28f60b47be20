import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitYeoJohnsonLambda, standardise, warpTargets, yeoJohnson, yeoJohnsonLogLikelihood } from '../../src/samplers/gp/warp.js';
import { GPSampler } from '../../src/samplers/gp/gp-sampler.js';
import { ConfigError } from '../../src/errors.js';
import { Rng } from '../../src/util/rng.js';
import { float } from '../../src/space/distributions.js';
import { makeSampler } from '../../src/samplers/make.js';
import { optimize } from './fixtures.js';

function skewness(xs: ArrayLike<number>): number {
  const z = standardise(xs);
  let s = 0;
  for (const v of z) s += v ** 3 / z.length;
  return s;
}

test('the Yeo–Johnson transform is the identity at λ = 1, log1p at λ = 0, and increasing for every λ', () => {
  for (const y of [-3, -0.5, 0, 0.7, 4]) assert.ok(Math.abs(yeoJohnson(y, 1) - y) < 1e-12);
  assert.ok(Math.abs(yeoJohnson(2, 0) - Math.log(3)) < 1e-12);
  assert.ok(Math.abs(yeoJohnson(-2, 2) + Math.log(3)) < 1e-12);
  for (const lambda of [-1, -0.3, 0, 0.5, 1, 1.7, 2, 3]) {
    let prev = -Infinity;
    for (let y = -5; y <= 5; y += 0.25) {
      const v = yeoJohnson(y, lambda);
      assert.ok(v > prev, `ψ(${y}; ${lambda}) = ${v} is not above ψ at the previous point, ${prev}`);
      prev = v;
    }
  }
});

test('the fitted λ maximises the likelihood, is below 1 for a right-skewed sample and above 1 for a left-skewed one', () => {
  const rng = new Rng(7);
  const normal = Array.from({ length: 200 }, () => rng.normal());
  // A heavy right tail (lognormal, like a quartic objective far from its optimum) and its mirror image.
  const right = standardise(normal.map((v) => Math.exp(v)));
  const left = standardise(normal.map((v) => -Math.exp(v)));
  const lr = fitYeoJohnsonLambda(right);
  const ll = fitYeoJohnsonLambda(left);
  assert.ok(lr < 0.8, `λ for a right-skewed sample: ${lr}`);
  assert.ok(ll > 1.2, `λ for a left-skewed sample: ${ll}`);
  for (const delta of [-0.05, 0.05]) assert.ok(yeoJohnsonLogLikelihood(right, lr) >= yeoJohnsonLogLikelihood(right, lr + delta) - 1e-9);
  assert.ok(Math.abs(fitYeoJohnsonLambda(standardise(normal)) - 1) < 0.3, 'a Gaussian sample should be left nearly as it is');
});

test('warped targets are standardised, keep the order of the trials and are far less skewed', () => {
  const rng = new Rng(11);
  const values = Array.from({ length: 60 }, () => Math.exp(rng.normal()));
  const w = warpTargets(values);
  const mean = w.reduce((a, b) => a + b, 0) / w.length;
  const sd = Math.sqrt(w.reduce((a, v) => a + (v - mean) ** 2, 0) / w.length);
  assert.ok(Math.abs(mean) < 1e-9 && Math.abs(sd - 1) < 1e-9);
  for (let i = 0; i < values.length; i++) for (let j = 0; j < values.length; j++) {
    if (values[i] < values[j]) assert.ok(w[i] < w[j], 'the transform must be monotone');
  }
  assert.ok(skewness(values) > 1 && Math.abs(skewness(w)) < 0.5, `skewness ${skewness(values)} → ${skewness(w)}`);
});

test('GPSampler rejects an unknown outputWarping, naming the option', () => {
  assert.throws(() => new GPSampler({ seed: 1, outputWarping: 'log' as 'power' }), (e: unknown) => e instanceof ConfigError && /GPSampler\.outputWarping/.test(e.message));
});

test("the GP warps by default, `auto`'s GP too, and outputWarping 'none' gives a different study on a quartic", () => {
  const space = { a: float(-5, 10), b: float(-5, 10), c: float(-5, 10), d: float(-5, 10) };
  // Zakharov-like: a quartic term makes the far values dwarf the near ones.
  const quartic = (p: Record<string, unknown>): number => {
    const xs = ['a', 'b', 'c', 'd'].map((k) => p[k] as number);
    const s2 = xs.reduce((acc, x, i) => acc + 0.5 * (i + 1) * x, 0);
    return xs.reduce((acc, x) => acc + x * x, 0) + s2 ** 2 + s2 ** 4;
  };
  const run = (sampler: ConstructorParameters<typeof GPSampler>[0] | 'auto') => optimize(
    sampler === 'auto' ? makeSampler('auto', { seed: 3, space, nTrials: 20 }) : new GPSampler(sampler), space, quartic, 14,
  ).map((t) => t.params);
  const byDefault = run({ seed: 3, space });
  assert.deepEqual(byDefault, run({ seed: 3, space, outputWarping: 'power' }));
  assert.deepEqual(byDefault, run('auto'));
  assert.notDeepEqual(byDefault, run({ seed: 3, space, outputWarping: 'none' }));
});
