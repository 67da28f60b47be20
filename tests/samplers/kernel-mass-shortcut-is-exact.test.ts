import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPTUNA31_TPE_OPTIONS } from '../../src/samplers/index.js';
import { resolveTPEOptions } from '../../src/samplers/tpe/options.js';
import { buildParzenEstimator } from '../../src/samplers/tpe/parzen-estimator.js';
import { logGaussMass } from '../../src/samplers/tpe/truncnorm.js';
import { float } from '../../src/space/distributions.js';

test('each kernel\'s log mass in range matches the two-tailed formula, kernels near one end included', () => {
  // Centres spread over the range and bunched at both ends, so kernels are near one end, both, or neither.
  const mus = Float64Array.from({ length: 200 }, (_, i) => (i < 100 ? (i / 99) ** 3 : 1 - ((i - 100) / 99) ** 3));
  for (const multivariate of [false, true]) {
    const pe = buildParzenEstimator([float(0, 1)], [mus], resolveTPEOptions({ ...OPTUNA31_TPE_OPTIONS, multivariate }));
    const dim = pe.dims[0];
    assert.equal(dim.kind, 'numeric');
    if (dim.kind !== 'numeric') return;
    for (let k = 0; k < pe.nKernels; k++) {
      const want = logGaussMass((0 - dim.mus[k]) / dim.sigmas[k], (1 - dim.mus[k]) / dim.sigmas[k]);
      assert.ok(Math.abs(dim.logMass[k] - want) <= 1e-15 + 1e-13 * Math.abs(want), `kernel ${k}: ${dim.logMass[k]} vs ${want}`);
    }
  }
});
