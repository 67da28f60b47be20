import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScrambledHalton } from '../../src/samplers/index.js';
import { firstPrimes } from '../../src/samplers/qmc/halton.js';
import { Rng } from '../../src/util/rng.js';

test('unscrambled, dimension 0 is the van der Corput sequence in base 2 and dimension 1 its base-3 sibling', () => {
  const h = new ScrambledHalton(2, null);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => h.coordinate(i, 0)), [0, 0.5, 0.25, 0.75, 0.125, 0.625]);
  const third = [0, 1, 2, 3, 4].map((i) => h.coordinate(i, 1));
  [0, 1 / 3, 2 / 3, 1 / 9, 4 / 9].forEach((want, i) => assert.ok(Math.abs(third[i] - want) < 1e-15, `point ${i}: ${third[i]} ≠ ${want}`));
  assert.deepEqual(firstPrimes(8), [2, 3, 5, 7, 11, 13, 17, 19]);
});

test('scrambled, the first b^m points of a base-b dimension fall one in each of b^m equal intervals', () => {
  for (const seed of [0, 1, 42]) {
    const h = new ScrambledHalton(4, seed);
    for (const [j, b, m] of [[0, 2, 5], [1, 3, 3], [2, 5, 2], [3, 7, 2]] as const) {
      const cells = new Set<number>();
      const n = b ** m;
      for (let i = 0; i < n; i++) {
        const x = h.coordinate(i, j);
        assert.ok(x >= 0 && x < 1, `coordinate ${x} outside [0, 1)`);
        cells.add(Math.floor(x * n));
      }
      assert.equal(cells.size, n, `seed ${seed}, dimension ${j}: ${n} points cover only ${cells.size} of ${n} cells`);
    }
  }
});

test('the same seed gives the same sequence, another seed another one', () => {
  assert.deepEqual(new ScrambledHalton(3, 7).point(5), new ScrambledHalton(3, 7).point(5));
  assert.notDeepEqual(new ScrambledHalton(3, 7).point(5), new ScrambledHalton(3, 8).point(5));
});

/** Centred L2 discrepancy (Hickernell 1998, eq. 3.6): lower means more even. */
function centredL2(points: Float64Array[]): number {
  const n = points.length;
  const d = points[0].length;
  let a = 0;
  let b = 0;
  for (const x of points) {
    let p = 1;
    for (const v of x) p *= 1 + 0.5 * Math.abs(v - 0.5) - 0.5 * (v - 0.5) ** 2;
    a += p;
  }
  for (const x of points) {
    for (const y of points) {
      let p = 1;
      for (let k = 0; k < d; k++) p *= 1 + 0.5 * Math.abs(x[k] - 0.5) + 0.5 * Math.abs(y[k] - 0.5) - 0.5 * Math.abs(x[k] - y[k]);
      b += p;
    }
  }
  return Math.sqrt((13 / 12) ** d - (2 / n) * a + b / (n * n));
}

test('12 and 64 scrambled Halton points in 4-D are more even than uniform random points (centred L2 discrepancy, 20 seeds)', () => {
  for (const n of [12, 64]) {
    let qmc = 0;
    let random = 0;
    let qmcBetter = 0;
    for (let seed = 0; seed < 20; seed++) {
      const h = new ScrambledHalton(4, seed);
      const q = centredL2(Array.from({ length: n }, (_, i) => h.point(i)));
      const rng = new Rng(seed, 99);
      const r = centredL2(Array.from({ length: n }, () => Float64Array.from({ length: 4 }, () => rng.random())));
      qmc += q / 20;
      random += r / 20;
      if (q < r) qmcBetter++;
    }
    assert.ok(qmc < 0.8 * random, `n=${n}: mean discrepancy ${qmc.toFixed(4)} (Halton) vs ${random.toFixed(4)} (random)`);
    assert.ok(qmcBetter >= 15, `n=${n}: Halton more even on only ${qmcBetter}/20 seeds`);
  }
});
