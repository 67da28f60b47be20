import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measuredPrecisionBits } from '../../../src/subsystems/fhe/engine.js';
import fhe from '../../../src/subsystems/fhe/index.js';
import { releaseCachedSetup } from '../../../src/subsystems/fhe/setup-cache.js';
import { recorder } from '../recorder.js';
import { tinyDatasets, TINY_PARAMS } from './fixtures.js';

const HEALTH = ['level', 'levels_left', 'log2_scale', 'est_precision_bits', 'refreshed'];

test('a trial stores scale health per iteration (level, levels left, scale, precision estimate, refresh) and the measured precision per epoch', async () => {
  const r = recorder(await tinyDatasets(), { budget: { epochs: 2, batchCap: null } });
  try {
    await fhe.objective(TINY_PARAMS, r.ctx);
  } finally {
    releaseCachedSetup();
  }
  const perIteration = r.metrics.filter(([, v]) => Object.hasOwn(v, 'level'));
  assert.deepEqual(perIteration.map(([step]) => step), [1, 2, 3, 4], '2 epochs × 2 iterations, steps counted across epochs');
  for (const [step, v] of perIteration) {
    assert.deepEqual(Object.keys(v).sort(), [...HEALTH].sort());
    // N = 8192 at a 24-bit scale: a 6-level chain, one degree-3 iteration (6 levels) between refreshes.
    assert.deepEqual([v.level, v.levels_left, v.refreshed], [6, 0, step === 1 ? 0 : 1], `iteration ${step}`);
    assert.ok(Math.abs(v.log2_scale - 24) < 1, `iteration ${step}: log2 scale ${v.log2_scale}, the chain's primes keep it at Δ = 2^24`);
    assert.ok(Number.isFinite(v.est_precision_bits));
  }
  const perEpoch = r.metrics.filter(([, v]) => Object.hasOwn(v, 'val_log_loss'));
  assert.deepEqual(perEpoch.map(([step]) => step), [1, 2]);
  for (const [, v] of perEpoch) {
    assert.ok(!Object.hasOwn(v, 'level'), 'health lives in the per-iteration series, not repeated per epoch');
    // A 24-bit scale on N = 8192 keeps about one bit of the weights (their max error is ~0.1–0.3), which the
    // estimate's −1.4 bits flags: this ring is for speed in tests, not for training.
    assert.ok(v.measured_precision_bits > -4 && v.measured_precision_bits < 12, `measured precision ${v.measured_precision_bits} bits`);
  }
  assert.equal(r.attrs['min_levels_left'], 0);
  assert.equal(r.attrs['refreshes'], 3);
});

test('the measured precision is log2(max |w_plain| / max |w_enc − w_plain|), 52 bits when they agree exactly', () => {
  const plain = Float64Array.from([2, -0.5, 0.25]);
  assert.equal(measuredPrecisionBits(Float64Array.from([2 + 2 ** -9, -0.5, 0.25]), plain), 10);
  assert.equal(measuredPrecisionBits(Float64Array.from([2, -0.5 - 2 ** -3, 0.25 + 2 ** -5]), plain), 4);
  assert.equal(measuredPrecisionBits(Float64Array.from(plain), plain), 52);
});
