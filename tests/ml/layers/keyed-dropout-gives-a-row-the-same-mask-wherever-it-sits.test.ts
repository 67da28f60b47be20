import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { keyedDropout, keyedMask } from '../../../src/ml/layers/keyed-dropout.js';

test('a row keeps its mask wherever it sits in the tensor, and other keys or seeds draw other masks', () => {
  const cols = 64;
  const whole = keyedMask({ rate: 0.3, seed: 11, rowKeys: Int32Array.from([5, 9, -3, 12]), cols });
  const share = keyedMask({ rate: 0.3, seed: 11, rowKeys: Int32Array.from([12, 5]), cols });
  assert.deepEqual(share.subarray(0, cols), whole.subarray(3 * cols, 4 * cols), 'key 12: row 3 of the whole, row 0 of the share');
  assert.deepEqual(share.subarray(cols), whole.subarray(0, cols), 'key 5');
  assert.notDeepEqual(whole.subarray(0, cols), whole.subarray(cols, 2 * cols), 'keys 5 and 9 differ');
  const reseeded = keyedMask({ rate: 0.3, seed: 12, rowKeys: Int32Array.from([5]), cols });
  assert.notDeepEqual(reseeded, whole.subarray(0, cols), 'another seed, another mask');
});

test('the dropped fraction is the rate and kept elements are scaled by 1 / (1 − rate)', () => {
  for (const rate of [0.1, 0.5, 0.9]) {
    const keys = Int32Array.from({ length: 500 }, (_, i) => i * 7919);
    const m = keyedMask({ rate, seed: 3, rowKeys: keys, cols: 200 });
    const dropped = m.filter((v) => v === 0).length / m.length;
    // 100 000 Bernoulli draws: the standard deviation of the fraction is ≤ 0.0016.
    assert.ok(Math.abs(dropped - rate) < 0.01, `rate ${rate}: dropped ${dropped}`);
    assert.ok(m.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6));
    // Columns and rows both vary (no column or row is dropped wholesale).
    const perColumn = Array.from({ length: 200 }, (_, j) => keys.reduce((s, _k, r) => s + (m[r * 200 + j] === 0 ? 1 : 0), 0) / keys.length);
    assert.ok(perColumn.every((f) => Math.abs(f - rate) < 0.1), `rate ${rate}: a column's dropped fraction is off`);
  }
});

test('the gradient is dy times the same mask, and a rate of 0 is the identity', async () => {
  const { tf } = await initBackend('wasm');
  const keys = Int32Array.from([1, 2, 3]);
  const x = tf.randomNormal([3, 16], 0, 1, 'float32', 4);
  const mask = keyedMask({ rate: 0.4, seed: 8, rowKeys: keys, cols: 16 });
  const g = tf.grad((t: typeof x) => tf.sum(keyedDropout(t, { rate: 0.4, seed: 8, rowKeys: keys })))(x);
  assert.deepEqual(Array.from(g.dataSync()), Array.from(mask));
  assert.equal(keyedDropout(x, { rate: 0, seed: 8, rowKeys: keys }), x);
  assert.throws(() => keyedDropout(x, { rate: 0.4, seed: 8, rowKeys: Int32Array.from([1]) }), (e: unknown) => e instanceof ConfigError && /1 row keys for a tensor of 3 rows/.test(e.message));
  assert.throws(() => keyedMask({ rate: 1, seed: 8, rowKeys: keys, cols: 2 }), /rate in \[0, 1\)/);
  tf.dispose([x, g]);
});
