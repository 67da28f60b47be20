import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentSoftmax } from '../../../../src/subsystems/optimizer/model/segment.js';
import { wasmRuntime } from './fixtures.js';

test('segment softmax sums to one over each destination and matches the direct formula', async () => {
  const { tf } = await wasmRuntime();
  const dst = Int32Array.from([0, 0, 1, 2, 2, 2]);
  const logits = [[0.5, -1], [1.5, 2], [3, 0], [-2, 1], [0, 1], [2, 1]];
  const alpha = tf.tidy(() => segmentSoftmax(tf.tensor2d(logits), tf.tensor1d(dst, 'int32'), dst, 3).arraySync());
  for (let h = 0; h < 2; h++) {
    for (const node of [0, 1, 2]) {
      const edges = [...dst.keys()].filter((e) => dst[e] === node);
      const z = edges.reduce((s, e) => s + Math.exp(logits[e][h]), 0);
      for (const e of edges) assert.ok(Math.abs(alpha[e][h] - Math.exp(logits[e][h]) / z) < 1e-6);
      assert.ok(Math.abs(edges.reduce((s, e) => s + alpha[e][h], 0) - 1) < 1e-6);
    }
  }
});

test('segment softmax stays finite for logits far beyond exp overflow (max shift per destination)', async () => {
  const { tf } = await wasmRuntime();
  const dst = Int32Array.from([0, 0, 1, 1]);
  // exp(1000) overflows float32; without a per-destination shift these would be NaN. Node 1's logits sit
  // 2000 below node 0's, so a single global shift would underflow them to 0/0.
  const alpha = tf.tidy(() =>
    segmentSoftmax(tf.tensor2d([[1000], [999], [-1000], [-1001]]), tf.tensor1d(dst, 'int32'), dst, 2).dataSync(),
  );
  const a = 1 / (1 + Math.exp(-1));
  assert.ok(Math.abs(alpha[0] - a) < 1e-6 && Math.abs(alpha[1] - (1 - a)) < 1e-6);
  assert.ok(Math.abs(alpha[2] - a) < 1e-6 && Math.abs(alpha[3] - (1 - a)) < 1e-6);
});
