import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPTUNA31_TPE_OPTIONS, TPESampler } from '../../src/samplers/index.js';
import { resolveTPEOptions } from '../../src/samplers/tpe/options.js';
import { buildParzenEstimator } from '../../src/samplers/tpe/parzen-estimator.js';
import { float, int } from '../../src/space/distributions.js';
import { optimize } from './fixtures.js';

// The same observations and expected values as parzen-estimator-matches-optuna.test.ts, printed by Optuna
// 3.1.0's _ParzenEstimator; here they come through the preset's resolved options, whatever the default is.
const space = [float(-1, 4), int(1, 8)];
const obs = [Float64Array.from([0.1, 0.5, 0.5, 0.9, 0.2, 3.0]), Float64Array.from([1, 2, 3, 4, 5, 6])];

const close = (got: ArrayLike<number>, want: number[]) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-12, `[${i}] ${got[i]} vs ${want[i]}`);
};
const sigmas = (pe: ReturnType<typeof buildParzenEstimator>, d: number): ArrayLike<number> => {
  const dim = pe.dims[d];
  return dim.kind === 'numeric' ? dim.sigmas : [];
};

test('the Optuna 3.1 preset builds the kernels Optuna 3.1 builds, univariate and multivariate', () => {
  const o = resolveTPEOptions(OPTUNA31_TPE_OPTIONS);
  const pe = buildParzenEstimator(space, obs, o);
  close(sigmas(pe, 0), [0.625, 0.625, 0.625, 0.625, 0.625, 1.5, 5.0]);
  close(sigmas(pe, 1), [1, 1, 1, 1, 1, 1, 8]);
  close(pe.weights, new Array(7).fill(1 / 7));
  const mv = buildParzenEstimator(space, obs, resolveTPEOptions({ ...OPTUNA31_TPE_OPTIONS, multivariate: true }));
  close(sigmas(mv, 0), [...new Array(6).fill(0.7418363755904023), 5]);
  close(sigmas(mv, 1), [...new Array(6).fill(1.1869382009446436), 8]);
});

test('the Optuna 3.1 preset resolves to Optuna 3.1\'s documented defaults', () => {
  const o = resolveTPEOptions({ ...OPTUNA31_TPE_OPTIONS, seed: 3 });
  assert.equal(o.nStartupTrials, 10);
  assert.equal(o.nEiCandidates, 24);
  assert.equal(o.priorWeight, 1);
  assert.equal(o.multivariate, false);
  assert.equal(o.considerEndpoints, false);
  assert.deepEqual([o.gamma(10), o.gamma(99), o.gamma(1000)], [1, 10, 25]);
  assert.equal(o.goodWeighting, 'age');
});

test('Optuna 3.1 on a 1-D quadratic: the preset reproduces its mean distance to the optimum (1.41 over trials 30–59)', () => {
  // Measured with optuna 3.1.0: TPESampler(seed=s) for s in 0..7, x in [-10, 10], (x - 2.5)², 60 trials.
  let total = 0;
  for (let seed = 0; seed < 8; seed++) {
    const history = optimize(new TPESampler({ ...OPTUNA31_TPE_OPTIONS, seed }), { x: float(-10, 10) }, (p) => ((p.x as number) - 2.5) ** 2, 60);
    for (const t of history.slice(30)) total += Math.abs((t.params.x as number) - 2.5) / 30;
  }
  const distance = total / 8;
  assert.ok(Math.abs(distance - 1.41) < 0.35, `mean distance ${distance.toFixed(3)}`);
});
