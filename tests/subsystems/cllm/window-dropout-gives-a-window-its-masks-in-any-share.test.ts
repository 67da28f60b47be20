import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/ml/backend.js';
import { windowDropout } from '../../../src/subsystems/cllm/model/window-dropout.js';
import { randomBatches, randomShares } from '../../../src/subsystems/cllm/batches.js';

const T = 4;
const C = 8;
const H = 2;

/** The masks windowDropout applies to all-ones activations [B·T, C] and probabilities [B·H, T, T], one op each. */
function masks(windowKeys: number[], seed: number): { rows: Float32Array; heads: Float32Array } {
  const d = windowDropout({ seed, windowKeys: Int32Array.from(windowKeys), time: T, nHead: H });
  const B = windowKeys.length;
  return tf.tidy(() => ({
    rows: d.apply(tf.ones([B * T, C]), 'position', 0.4).dataSync() as Float32Array,
    heads: d.apply(tf.ones([B * H, T, T]), 'head', 0.4).dataSync() as Float32Array,
  }));
}

test('a window draws the same dropout masks in the whole batch and in a replica’s share of it', async () => {
  await initBackend('cpu');
  const whole = masks([0, 1, 2, 3], 77);
  const share = masks([2, 3], 77);
  assert.deepEqual(share.rows, whole.rows.subarray(2 * T * C), 'windows 2 and 3: positions');
  assert.deepEqual(share.heads, whole.heads.subarray(2 * H * T * T), 'windows 2 and 3: attention heads');
  // Position-laid masks (tfjs' seeded dropout) would give the share's first window the whole batch's first mask.
  assert.notDeepEqual(share.rows.subarray(0, T * C), whole.rows.subarray(0, T * C), 'window 2 in the share is not window 0');
  const other = masks([0, 1, 2, 3], 78);
  assert.notDeepEqual(other.rows, whole.rows, 'another batch seed, other masks');
  const dropped = whole.rows.filter((v) => v === 0).length / whole.rows.length;
  assert.ok(dropped > 0.2 && dropped < 0.6, `dropped fraction ${dropped} for rate 0.4`);
});

test('the shares of a training batch carry its dropout seed and their windows’ indices in it', () => {
  const ids = Uint16Array.from({ length: 400 }, (_, i) => i % 50);
  const o = { batchSize: 5, time: T, steps: 3, seed: 9, epoch: 1 };
  const batches = [...randomBatches(ids, o)];
  const shares = [0, 1].map((rank) => [...randomShares(ids, { ...o, share: { rank, nShares: 2 } })]);
  for (let i = 0; i < o.steps; i++) {
    const [a, b] = [shares[0][i].batch, shares[1][i].batch];
    assert.ok(a !== null && b !== null);
    assert.equal(a.dropoutSeed, batches[i].dropoutSeed);
    assert.equal(b.dropoutSeed, batches[i].dropoutSeed);
    assert.deepEqual([...(a.windowKeys ?? []), ...(b.windowKeys ?? [])], [0, 1, 2, 3, 4]);
    assert.deepEqual(Int32Array.from([...a.tokens, ...b.tokens]), batches[i].tokens);
  }
  assert.notEqual(batches[0].dropoutSeed, batches[1].dropoutSeed, 'each step its own seed');
});
