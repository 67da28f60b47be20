import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choleskyInPlace, inverseFromCholesky, solveLower, solveLowerTransposed } from '../../src/samplers/gp/linalg.js';
import { fitGP, logPosterior } from '../../src/samplers/gp/fit.js';
import { logH, posterior } from '../../src/samplers/gp/acquisition.js';
import { ndtr } from '../../src/samplers/tpe/truncnorm.js';
import { Rng } from '../../src/util/rng.js';

function randomSpd(n: number, rng: Rng): Float64Array {
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
    a[i * n + j] = s;
  }
  return a;
}

test('Cholesky, the triangular solves and the inverse reproduce A, A·x = b and A·A⁻¹ = I', () => {
  const n = 7;
  const a = randomSpd(n, new Rng(1));
  const l = Float64Array.from(a);
  assert.ok(choleskyInPlace(l, n));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
    assert.ok(Math.abs(s - a[i * n + j]) < 1e-9, `(L·Lᵀ)[${i},${j}] = ${s}, A = ${a[i * n + j]}`);
  }
  const b = Float64Array.from({ length: n }, (_, i) => i - 3);
  const x = solveLowerTransposed(l, n, solveLower(l, n, b));
  const inv = inverseFromCholesky(l, n);
  for (let i = 0; i < n; i++) {
    let ax = 0;
    for (let k = 0; k < n; k++) ax += a[i * n + k] * x[k];
    assert.ok(Math.abs(ax - b[i]) < 1e-9);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-9);
    }
  }
  const indefinite = Float64Array.from([1, 2, 2, 1]);
  assert.equal(choleskyInPlace(indefinite, 2), false);
});

function smallData(rng: Rng, withCategorical: boolean) {
  const n = 12;
  const d = 3;
  const isCat = Uint8Array.from([0, 0, withCategorical ? 1 : 0]);
  const x = Float64Array.from({ length: n * d }, (_, k) => (k % d === 2 && withCategorical ? rng.int(3) : rng.random()));
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(4 * x[i * d]) + 0.3 * x[i * d + 1] + (withCategorical ? 0.5 * x[i * d + 2] : 0));
  return { n, x, y, isCat };
}

test('the log posterior\'s gradient matches central finite differences in every hyperparameter', () => {
  for (const withCategorical of [false, true]) {
    const data = smallData(new Rng(7), withCategorical);
    const theta = Float64Array.from([0.3, -0.5, 0.8, 0.2, Math.log(0.05)]);
    const { grad } = logPosterior(data, theta);
    for (let j = 0; j < theta.length; j++) {
      const h = 1e-5;
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[j] += h;
      down[j] -= h;
      const fd = (logPosterior(data, up).value - logPosterior(data, down).value) / (2 * h);
      assert.ok(Math.abs(fd - grad[j]) < 1e-4 * Math.max(1, Math.abs(fd)), `θ[${j}] (categorical ${withCategorical}): analytic ${grad[j]}, finite difference ${fd}`);
    }
  }
});

test('fitting raises the log posterior, finds the relevant dimension, and the posterior interpolates the data', () => {
  const rng = new Rng(3);
  const n = 30;
  const d = 3;
  const x = Float64Array.from({ length: n * d }, () => rng.random());
  const raw = Array.from({ length: n }, (_, i) => (x[i * d] - 0.3) ** 2);
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(raw.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  const data = { n, x, y: Float64Array.from(raw, (v) => (v - mean) / sd), isCat: new Uint8Array(d) };
  const start = Float64Array.from([0, 0, 0, 0, Math.log(0.01)]);
  const gp = fitGP(data);
  const fitted = Float64Array.from([...gp.params.inverseSquaredLengthscales].map(Math.log).concat([Math.log(gp.params.scale), Math.log(gp.params.noise - 1e-6)]));
  assert.ok(logPosterior(data, fitted).value > logPosterior(data, start).value);
  const [l0, l1, l2] = gp.params.inverseSquaredLengthscales;
  assert.ok(l0 > 10 * l1 && l0 > 10 * l2, `1/ℓ² = ${l0}, ${l1}, ${l2}: only x0 matters`);
  for (let i = 0; i < n; i += 5) {
    const { mean: m, variance } = posterior(gp, x, i);
    assert.ok(Math.abs(m - data.y[i]) < 0.05, `posterior mean ${m} at a data point whose value is ${data.y[i]}`);
    assert.ok(variance < 0.01);
  }
});

test('log h(z) = log(φ(z) + z·Φ(z)) where that is computable, and stays finite and increasing far below it', () => {
  for (const z of [-9.5, -5.5, -3, -1, 0, 0.5, 2, 5]) {
    const direct = Math.log(Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) + z * ndtr(z));
    assert.ok(Math.abs(logH(z) - direct) < 1e-6, `z=${z}: ${logH(z)} vs ${direct}`);
  }
  assert.ok(Math.abs(logH(-10 - 1e-9) - logH(-10 + 1e-9)) < 1e-6, 'the two branches meet at z = -10');
  let last = -Infinity;
  for (let z = -40; z <= 3; z += 0.5) {
    const v = logH(z);
    assert.ok(Number.isFinite(v) && v > last, `log h(${z}) = ${v}`);
    last = v;
  }
});
