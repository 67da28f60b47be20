import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultWeights } from '../../src/samplers/index.js';
import { buildParzenEstimator } from '../../src/samplers/tpe/parzen-estimator.js';
import { categorical, float, int } from '../../src/space/distributions.js';

// Expected values printed by Optuna 3.1.0's _ParzenEstimator for the same observations.
const space = [float(-1, 4), int(1, 8)];
const obs = [Float64Array.from([0.1, 0.5, 0.5, 0.9, 0.2, 3.0]), Float64Array.from([1, 2, 3, 4, 5, 6])];
const params = { priorWeight: 1, considerPrior: true, considerMagicClip: true, considerEndpoints: false, multivariate: false, weights: defaultWeights };

const close = (got: ArrayLike<number>, want: number[]) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-12, `[${i}] ${got[i]} vs ${want[i]}`);
};
const sigmasOf = (pe: ReturnType<typeof buildParzenEstimator>, d: number) => {
  const dim = pe.dims[d];
  assert.equal(dim.kind, 'numeric');
  return dim.kind === 'numeric' ? dim.sigmas : [];
};

test('univariate bandwidths are the larger neighbour gap, magic-clipped, with the prior as wide as the range', () => {
  const pe = buildParzenEstimator(space, obs, params);
  close(sigmasOf(pe, 0), [0.625, 0.625, 0.625, 0.625, 0.625, 1.5, 5.0]);
  close(sigmasOf(pe, 1), [1, 1, 1, 1, 1, 1, 8]);
  close(pe.weights, new Array(7).fill(1 / 7));
  const withEndpoints = buildParzenEstimator(space, obs, { ...params, considerEndpoints: true });
  close(sigmasOf(withEndpoints, 0), [1.1, 0.625, 0.625, 0.625, 0.625, 1.5, 5.0]);
  close(sigmasOf(withEndpoints, 1), [1, 1, 1, 1, 1, 2.5, 8]);
});

test('multivariate bandwidths follow Scott\'s rule scaled by 0.2', () => {
  const pe = buildParzenEstimator(space, obs, { ...params, multivariate: true });
  close(sigmasOf(pe, 0), [...new Array(6).fill(0.7418363755904023), 5]);
  close(sigmasOf(pe, 1), [...new Array(6).fill(1.1869382009446436), 8]);
});

test('default weights ramp for observations older than the newest 25', () => {
  close(defaultWeights(30), [0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333, ...new Array(26).fill(1)]);
  close(defaultWeights(7), new Array(7).fill(1));
});

test('categorical kernels are one-hot plus the prior weight spread over the choices', () => {
  const pe = buildParzenEstimator([categorical(['a', 'b', 'c'])], [Float64Array.from([0, 2, 2])], params);
  const dim = pe.dims[0];
  assert.equal(dim.kind, 'categorical');
  if (dim.kind !== 'categorical') return;
  const a = 0.7142857142857143;
  const b = 0.14285714285714285;
  close(dim.probs, [a, b, b, b, b, a, b, b, a, 1 / 3, 1 / 3, 1 / 3]);
});
