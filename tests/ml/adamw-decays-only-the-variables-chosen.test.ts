import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../../src/ml/adam.js';
import { initBackend } from '../../src/ml/backend.js';

test('AdamW with a decays filter shrinks the chosen variables only (2-D weights, not biases)', async () => {
  const { tf: runtime } = await initBackend('wasm');
  const w = tf.variable(tf.ones([2, 2]), true, 'adamw-test/w');
  const b = tf.variable(tf.ones([2]), true, 'adamw-test/b');
  const adam = new Adam(runtime, { weightDecay: 0.5, decays: (v) => v.shape.length === 2 });
  // Zero gradients: the Adam step is 0, so any change is the decay w ← w − lr·λ·w.
  adam.apply([{ variable: w, grad: tf.zeros([2, 2]) }, { variable: b, grad: tf.zeros([2]) }], 0.1);
  assert.deepEqual(Array.from(w.dataSync()), [0.95, 0.95, 0.95, 0.95].map((x) => Math.fround(x)));
  assert.deepEqual(Array.from(b.dataSync()), [1, 1]);
  adam.dispose();
  w.dispose();
  b.dispose();
});
