import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultWeights } from '../../src/samplers/index.js';
import { buildParzenEstimator } from '../../src/samplers/tpe/parzen-estimator.js';
import { parzenLogPdf, sampleParzenEstimator } from '../../src/samplers/tpe/parzen-density.js';
import { type Distribution, categorical, float, int } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';

const params = { priorWeight: 1, considerPrior: true, considerMagicClip: true, considerEndpoints: false, multivariate: false, weights: defaultWeights };

function logPdfAt(space: Distribution[], obs: number[][], points: number[][], multivariate = false): Float64Array {
  const pe = buildParzenEstimator(space, obs.map((o) => Float64Array.from(o)), { ...params, multivariate });
  const out = new Float64Array(points[0].length);
  parzenLogPdf(pe, points.map((p) => Float64Array.from(p)), out);
  return out;
}

const close = (got: ArrayLike<number>, want: number[], label: string) => {
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-9, `${label}[${i}]: ${got[i]} vs Optuna ${want[i]}`);
};

// Expected values: Optuna 3.1.0 `_ParzenEstimator(...).log_pdf(...)` on the same observations and points.
test('continuous, log-scale, integer, log-integer and stepped densities equal Optuna 3.1 log_pdf', () => {
  close(logPdfAt([float(-1, 4)], [[0.1, 0.5, 0.5, 0.9, 0.2, 3.0]], [[-0.9, 0.0, 0.5, 2.2, 3.9]]),
    [-1.7461454805978838, -0.9926916948313464, -0.8510464314588753, -1.4969147427898288, -1.6263322083685476], 'float');
  close(logPdfAt([float(1e-4, 10, { log: true })], [[1e-3, 2e-3, 0.5]], [[1e-4, 1e-3, 0.05, 9.0]]),
    [-1.0020857615905676, -0.7151582585323311, -0.8465059019111566, -1.206982561506182], 'log');
  close(logPdfAt([int(3, 8)], [[3, 3, 7]], [[3, 4, 5, 6, 7, 8]]),
    [-1.450416782875476, -1.5794506142213307, -1.8312370603751393, -1.9189910858416335, -1.9646882714981417, -2.186854085665084], 'int');
  close(logPdfAt([int(1, 64, { log: true })], [[2, 3, 30]], [[1, 3, 20, 64]]),
    [-0.913632900464407, -0.6585188923480291, -0.8717848090371276, -1.007566631683979], 'int log');
  close(logPdfAt([float(0, 1, { step: 0.25 })], [[0.25, 0.5, 0.5]], [[0, 0.25, 0.5, 0.75, 1.0]]),
    [-1.941600637615054, -1.2874497023297657, -1.1690882253177868, -1.6628309073350123, -2.521977535571417], 'step');
});

test('categorical and multivariate mixed densities equal Optuna 3.1 log_pdf', () => {
  close(logPdfAt([categorical(['a', 'b', 'c', 'd'])], [[1, 1, 3]], [[0, 1, 2, 3]]),
    [-1.856297990365626, -0.9007865453381898, -1.856297990365626, -1.2685113254635072], 'categorical');
  const space = [float(-1, 4), int(3, 8), categorical(['a', 'b', 'c'])];
  const obs = [[0.1, 0.5, 3.0, 2.0], [3, 4, 8, 5], [0, 2, 2, 1]];
  close(logPdfAt(space, obs, [[0.0, 2.5, 3.9], [3, 5, 8], [0, 2, 1]], true), [-3.0133732883024473, -4.109827942503402, -4.315851875346238], 'multivariate');
});

test('integer and categorical mixtures are probability mass functions', () => {
  const ints = logPdfAt([int(3, 8)], [[3, 3, 7]], [[3, 4, 5, 6, 7, 8]]);
  assert.ok(Math.abs(ints.reduce((a, v) => a + Math.exp(v), 0) - 1) < 1e-12);
  const cats = logPdfAt([categorical(['a', 'b', 'c', 'd'])], [[1, 1, 3]], [[0, 1, 2, 3]]);
  assert.ok(Math.abs(cats.reduce((a, v) => a + Math.exp(v), 0) - 1) < 1e-12);
});

test('a candidate far from every kernel still gets a finite log density', () => {
  // 2000 kernels packed near 0 with the minimum bandwidth; x = 1 is ~100 bandwidths from all but the prior.
  const obs = Array.from({ length: 2000 }, (_, i) => (i % 50) * 1e-4);
  const lp = logPdfAt([float(0, 1)], [obs], [[1, 0.5, 0]]);
  for (const v of lp) assert.ok(Number.isFinite(v), `log density ${v}`);
  assert.ok(lp[2] > lp[1] && lp[1] > lp[0] - 1e-9);
});

test('draws from the mixture follow its density (chi-square over integer values, fixed seed)', () => {
  const space = [int(3, 8)];
  const pe = buildParzenEstimator(space, [Float64Array.from([3, 3, 7])], params);
  const n = 6000;
  const [draws] = sampleParzenEstimator(pe, new Rng(1), n);
  const probs = logPdfAt(space, [[3, 3, 7]], [[3, 4, 5, 6, 7, 8]]).map(Math.exp);
  let chi2 = 0;
  for (let v = 3; v <= 8; v++) {
    const count = draws.filter((x) => x === v).length;
    chi2 += (count - n * probs[v - 3]) ** 2 / (n * probs[v - 3]);
  }
  // χ²(5) at α = 0.001 is 20.5.
  assert.ok(chi2 < 20.5, `chi2 ${chi2}`);
});
