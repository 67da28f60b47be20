// The estimator finds the best number of samples in closed form (the log right-hand side is concave in the
// dimension). This checks it against a plain scan over every m, written independently here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';
import { deltaBkz, estimateLwe, secretStd, MIN_BLOCK_SIZE } from '../../src/lattice/primal-usvp.js';

function bruteForceBlockSize(n: number, logQ: number, sigma: number, mMax: number, secret: 'gaussian' | 'ternary'): number {
  const w = sigma / secretStd(secret, sigma);
  for (let b = MIN_BLOCK_SIZE; b <= n + mMax + 1; b++) {
    const delta = deltaBkz(b);
    for (let m = 1; m <= mMax; m++) {
      const d = m + n + 1;
      if (b > d) continue;
      const rhs = delta ** (2 * b - d) * 2 ** ((m * logQ + n * Math.log2(w)) / d);
      if (sigma * Math.sqrt(b) <= rhs) return b;
    }
  }
  return Infinity;
}

test('the closed-form optimum over samples gives the same block size as scanning every m', () => {
  const cases = [
    { n: 256, logQ: 12, sigma: 2, m: 512, secret: 'gaussian' },
    { n: 300, logQ: 20, sigma: 3.2, m: 150, secret: 'ternary' },
    { n: 400, logQ: 16, sigma: 1.5, m: 800, secret: 'gaussian' },
    { n: 512, logQ: 30, sigma: 3.2, m: 1024, secret: 'ternary' },
  ] as const;
  for (const c of cases) {
    const e = estimateLwe(c);
    assert.equal(e.blockSize, bruteForceBlockSize(c.n, c.logQ, c.sigma, c.m, c.secret), JSON.stringify(c));
  }
});

test('random small instances agree with the scan over every block size and every m', () => {
  const rng = new Rng(3, 0);
  for (let i = 0; i < 30; i++) {
    const n = 64 + rng.int(300);
    const c = {
      n,
      logQ: 8 + rng.uniform(0, 20),
      sigma: rng.uniform(0.8, 6),
      m: 1 + rng.int(2 * n),
      secret: i % 2 === 0 ? 'gaussian' : 'ternary',
    } as const;
    const e = estimateLwe(c);
    assert.equal(e.blockSize, bruteForceBlockSize(c.n, c.logQ, c.sigma, c.m, c.secret), JSON.stringify(c));
  }
});

test('the root-Hermite factor follows the BKZ formula and falls with the block size', () => {
  // δ(b) = ((πb)^(1/b)·b/(2πe))^(1/(2(b−1))); at b = 100 that is 1.009259 (to 6 digits).
  assert.ok(Math.abs(deltaBkz(100) - 1.009259) < 1e-6, String(deltaBkz(100)));
  let prev = deltaBkz(MIN_BLOCK_SIZE);
  for (let b = MIN_BLOCK_SIZE + 10; b <= 1000; b += 10) {
    assert.ok(deltaBkz(b) < prev);
    prev = deltaBkz(b);
  }
});
