import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaximinLatinHypercube, QMCSampler, TPESampler } from '../../src/samplers/index.js';
import { minPairDistance2 } from '../../src/samplers/qmc/latin-hypercube.js';
import { ConfigError } from '../../src/errors.js';
import { float } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';
import { optimize } from './fixtures.js';

test('each design puts one point in each of its n strata in every dimension', () => {
  for (const seed of [0, 1, 42]) {
    const lhs = new MaximinLatinHypercube(12, 6, seed);
    for (const block of [0, 1]) {
      for (let j = 0; j < 12; j++) {
        const strata = new Set(Array.from({ length: 6 }, (_, i) => Math.floor(lhs.coordinate(block * 6 + i, j) * 6)));
        assert.equal(strata.size, 6, `seed ${seed}, design ${block}, dimension ${j}`);
      }
    }
  }
});

test('the maximin design spreads its points farther apart than a typical random Latin hypercube', () => {
  const n = 6;
  const d = 5;
  const x = Float64Array.from({ length: n * d }, (_, k) => new MaximinLatinHypercube(d, n, 9).coordinate(Math.floor(k / d), k % d));
  const chosen = minPairDistance2(x, n, d);
  // Random Latin hypercubes drawn independently of the design: the chosen one beats most of them.
  const rng = new Rng(123);
  let beaten = 0;
  for (let t = 0; t < 200; t++) {
    const r = new Float64Array(n * d);
    for (let j = 0; j < d; j++) {
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const r = rng.int(i + 1);
        [perm[i], perm[r]] = [perm[r], perm[i]];
      }
      for (let i = 0; i < n; i++) r[i * d + j] = (perm[i] + rng.random()) / n;
    }
    if (minPairDistance2(r, n, d) < chosen) beaten++;
  }
  assert.ok(beaten >= 180, `the maximin design beats only ${beaten} of 200 random ones`);
});

test("TPE's 'lhs' start-up suggests the design's points, seeded, then models; bad options name the field", () => {
  const space = { x: float(-5, 5), y: float(0, 10), z: float(0, 1) };
  const f = (p: Record<string, unknown>): number => (p.x as number) ** 2 + ((p.y as number) - 3) ** 2 + (p.z as number);
  const tpe = optimize(new TPESampler({ seed: 4, space, nStartupTrials: 6, startup: 'lhs' }), space, f, 8).map((t) => t.params);
  const lhs = optimize(new QMCSampler({ seed: 4, space, sequence: 'maximin-lhs', designSize: 6 }), space, f, 8).map((t) => t.params);
  assert.deepEqual(tpe.slice(0, 6), lhs.slice(0, 6));
  assert.notDeepEqual(tpe[6], lhs[6]);
  assert.deepEqual(tpe, optimize(new TPESampler({ seed: 4, space, nStartupTrials: 6, startup: 'lhs' }), space, f, 8).map((t) => t.params));
  assert.throws(() => new TPESampler({ seed: 1, startup: 'lhs' }), (e: unknown) => e instanceof ConfigError && /TPESampler\.space/.test(e.message));
  assert.throws(() => new QMCSampler({ seed: 1, space, sequence: 'maximin-lhs' }), (e: unknown) => e instanceof ConfigError && /designSize/.test(e.message));
});
