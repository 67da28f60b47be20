import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPTUNA31_TPE_OPTIONS } from '../../src/samplers/index.js';
import { resolveTPEOptions } from '../../src/samplers/tpe/options.js';
import { buildParzenEstimator } from '../../src/samplers/tpe/parzen-estimator.js';
import { float } from '../../src/space/distributions.js';

const space = [float(0, 10), float(0, 1)];
const obs = [Float64Array.from([1, 2, 4, 8]), Float64Array.from([0.5, 0.51, 0.52, 0.9])];
const sigmas = (pe: ReturnType<typeof buildParzenEstimator>, d: number): number[] => {
  const dim = pe.dims[d];
  return dim.kind === 'numeric' ? [...dim.sigmas] : [];
};
const near = (got: number[], want: number[]) => got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-12, `[${i}] ${g} vs ${want[i]}`));

test('the neighbour bandwidth gives each kernel of a joint density its own per-dimension gap', () => {
  const o = resolveTPEOptions({ ...OPTUNA31_TPE_OPTIONS, multivariate: true, bandwidth: 'neighbour' });
  const pe = buildParzenEstimator(space, obs, o);
  // Centres 1, 2, 4, 8 and the prior's 5: sorted 1 2 4 5 8, larger gaps 1 2 2 3 3, outermost use the inner gap;
  // magic clip floor 10/6.
  near(sigmas(pe, 0), [10 / 6, 2, 2, 3, 10]);
  // Centres .5 .51 .52 .9, prior .5 (sorted .5 .5 .51 .52 .9): tiny gaps are lifted to the floor 1/6.
  near(sigmas(pe, 1), [1 / 6, 1 / 6, 0.38, 0.38, 1]);
});

test('the magic clip exponent and minimum bandwidth factor set the floor range·max(Δ, (1+K)^-α)', () => {
  const base = { ...OPTUNA31_TPE_OPTIONS, multivariate: true, bandwidth: 'neighbour' } as const;
  const squared = buildParzenEstimator(space, obs, resolveTPEOptions({ ...base, magicClipExponent: 2, minBandwidthFactor: 0.01 }));
  // K = 5 kernels: (1 + 5)^-2 = 1/36 > 0.01.
  assert.ok(Math.abs(sigmas(squared, 1)[0] - 1 / 36) < 1e-12);
  const floored = buildParzenEstimator(space, obs, resolveTPEOptions({ ...base, magicClipExponent: 2, minBandwidthFactor: 0.05 }));
  assert.ok(Math.abs(sigmas(floored, 1)[0] - 0.05) < 1e-12);
});

test('joint-scott uses the Scott-style width for a joint density and the neighbour rule for a lone parameter', () => {
  // Without the magic clip, whose floor range/6 would hide the Scott-style widths at n = 4.
  const base = { ...OPTUNA31_TPE_OPTIONS, multivariate: true, considerMagicClip: false } as const;
  const o = resolveTPEOptions({ ...base, bandwidth: 'joint-scott' });
  const joint = buildParzenEstimator(space, obs, o);
  // 0.2 · n^(-1/(d+4)) · range with n = 4, d = 2.
  near(sigmas(joint, 0).slice(0, 4), new Array(4).fill(0.2 * 4 ** (-1 / 6) * 10));
  const alone = buildParzenEstimator([space[0]], [obs[0]], o);
  near(sigmas(alone, 0), [1, 2, 2, 3, 10]);
  const optuna = buildParzenEstimator([space[0]], [obs[0]], resolveTPEOptions(base));
  near(sigmas(optuna, 0).slice(0, 4), new Array(4).fill(0.2 * 4 ** (-1 / 5) * 10));
});
