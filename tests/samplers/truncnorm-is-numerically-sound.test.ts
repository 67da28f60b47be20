import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logGaussMass, logNdtr, ndtr, ndtriExp, truncnormLogPdf, truncnormPpf } from '../../src/samplers/tpe/truncnorm.js';

test('ndtriExp inverts logNdtr from the far left tail to the right tail', () => {
  for (let x = -60; x <= 8; x += 0.37) {
    const back = ndtriExp(logNdtr(x));
    assert.ok(Math.abs(back - x) <= 1e-9 * (1 + Math.abs(x)), `x=${x} → ${back}`);
  }
});

test('logNdtr stays finite where the CDF itself underflows', () => {
  // Φ(-40) ≈ 3.6e-350 underflows a double; its log is about -804.6.
  assert.equal(ndtr(-40), 0);
  assert.ok(Math.abs(logNdtr(-40) - -804.6084420137538) < 1e-9);
});

test('logGaussMass matches a direct difference where that is accurate, and survives far tails', () => {
  for (const [a, b] of [[-1, 0.5], [-2, -1], [0.3, 2], [-0.1, 0.1]] as const) {
    assert.ok(Math.abs(logGaussMass(a, b) - Math.log(ndtr(b) - ndtr(a))) < 1e-12);
  }
  const far = logGaussMass(30, 31);
  assert.ok(Number.isFinite(far) && far < -450 && far > -500, `far tail mass ${far}`);
});

test('the truncated quantile inverts the truncated CDF, even for an interval 30 sigmas out', () => {
  for (const [a, b] of [[-1, 2], [-3, -2.5], [30, 31], [-35, -34], [-0.5, 40]] as const) {
    const logMass = logGaussMass(a, b);
    for (const q of [0.001, 0.2, 0.5, 0.8, 0.999]) {
      const x = truncnormPpf(q, a, b);
      assert.ok(x >= a && x <= b, `ppf(${q}; ${a}, ${b}) = ${x} outside`);
      const cdf = Math.exp(logGaussMass(a, x) - logMass);
      assert.ok(Math.abs(cdf - q) < 1e-7, `cdf(ppf(${q})) = ${cdf} on [${a}, ${b}]`);
    }
  }
});

test('a scaled truncated normal density integrates to one over its interval', () => {
  for (const [mu, sigma, low, high] of [[0.2, 0.05, 0, 1], [3, 2, -1, 4], [-1, 0.3, 0, 5]] as const) {
    const n = 20000;
    const h = (high - low) / n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(truncnormLogPdf(low + (i + 0.5) * h, mu, sigma, low, high)) * h;
    assert.ok(Math.abs(sum - 1) < 1e-4, `integral ${sum} for mu=${mu} sigma=${sigma}`);
  }
});
