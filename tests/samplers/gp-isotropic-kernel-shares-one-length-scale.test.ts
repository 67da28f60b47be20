import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGP, isotropicLogPosterior, logPosterior } from '../../src/samplers/gp/fit.js';
import { GPSampler } from '../../src/samplers/index.js';
import { ConfigError } from '../../src/errors.js';
import { float, int } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';
import { optimize } from './fixtures.js';

function data(n: number, d: number, seed: number) {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.random());
  const raw = Array.from({ length: n }, (_, i) => (x[i * d] - 0.3) ** 2 + 0.5 * (x[i * d + 1] - 0.6) ** 2);
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(raw.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  return { n, x, y: Float64Array.from(raw, (v) => (v - mean) / sd), isCat: new Uint8Array(d) };
}

test('the isotropic log posterior is the ARD one with every length scale equal, less the d − 1 extra length-scale priors', () => {
  const g = data(8, 4, 1);
  const [t, s, e] = [0.7, -0.2, Math.log(0.02)];
  const iso = isotropicLogPosterior(g, Float64Array.from([t, s, e])).value;
  const ard = logPosterior(g, Float64Array.from([t, t, t, t, s, e])).value;
  const v = Math.exp(t);
  assert.ok(Math.abs(iso - (ard + 3 * (0.1 / v + 0.1 * v))) < 1e-9, `${iso} vs ${ard}`);
});

test('its gradient matches finite differences', () => {
  const g = data(9, 3, 2);
  const theta = Float64Array.from([0.3, 0.1, Math.log(0.05)]);
  const { grad } = isotropicLogPosterior(g, theta);
  for (let j = 0; j < 3; j++) {
    const h = 1e-5;
    const up = Float64Array.from(theta);
    const down = Float64Array.from(theta);
    up[j] += h;
    down[j] -= h;
    const fd = (isotropicLogPosterior(g, up).value - isotropicLogPosterior(g, down).value) / (2 * h);
    assert.ok(Math.abs(fd - grad[j]) < 1e-4 * Math.max(1, Math.abs(fd)), `θ[${j}]: analytic ${grad[j]}, finite difference ${fd}`);
  }
});

test('fitGP with isotropic length scales gives every dimension the same one, and ARD does not', () => {
  const g = data(10, 4, 3);
  const iso = [...fitGP(g, { lengthscales: 'isotropic' }).params.inverseSquaredLengthscales];
  assert.ok(iso.every((v) => v === iso[0]), `isotropic 1/ℓ²: ${iso.join(', ')}`);
  const ard = [...fitGP(g).params.inverseSquaredLengthscales];
  assert.ok(new Set(ard).size > 1, `ARD 1/ℓ²: ${ard.join(', ')}`);
});

test('the isotropic GPSampler is seeded, differs from the ARD one after start-up, and rejects an unknown kernel', () => {
  const space = { a: float(0, 1), b: float(0, 1), c: int(0, 5), d: float(-2, 2) };
  const f = (p: Record<string, unknown>): number => ((p.a as number) - 0.3) ** 2 + ((p.b as number) - 0.6) ** 2 + (p.c as number) / 5 + (p.d as number) ** 2;
  const run = (lengthscales: 'ard' | 'isotropic', seed: number) =>
    optimize(new GPSampler({ seed, space, nStartupTrials: 4, lengthscales }), space, f, 12).map((t) => t.params);
  assert.deepEqual(run('isotropic', 7), run('isotropic', 7));
  const iso = run('isotropic', 7);
  const ard = run('ard', 7);
  assert.deepEqual(iso.slice(0, 4), ard.slice(0, 4));
  assert.notDeepEqual(iso.slice(4), ard.slice(4));
  assert.throws(() => new GPSampler({ seed: 1, lengthscales: 'shared' as 'ard' }), (e: unknown) => e instanceof ConfigError && /GPSampler\.lengthscales/.test(e.message));
});
