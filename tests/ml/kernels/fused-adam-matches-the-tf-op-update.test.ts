import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../../../src/ml/adam.js';
import { initBackend } from '../../../src/ml/backend.js';
import type { Tf } from '../../../src/ml/backend-choice.js';
import { adamUpdateCounts } from '../../../src/ml/kernels/adam-update.js';
import { nativeBlas } from '../../../src/ml/kernels/native-blas.js';
import { useNativeMatMul } from '../../../src/ml/kernels/native-matmul.js';
import { Rng } from '../../../src/util/rng.js';

/** The fused AdamW on wasm against the tf-op update (fused: false); the weights it writes are what products see. */

const SHAPES = [[7, 5], [5], [3, 4, 2]];

let made = 0;
function setup(seed: number): tf.Variable[] {
  made += 1;
  const rng = new Rng(seed);
  return SHAPES.map((s, i) => tf.variable(tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()), s), true, `fused-adam-${made}-${i}`));
}

test('fused AdamW on wasm follows the tf-op AdamW step for step (decay on 2-D weights only), leaving no tensor behind', async () => {
  const { tf: tfx } = await initBackend('wasm');
  const fusedVars = setup(1);
  const opVars = setup(1).map((v, i) => tf.variable(v, true, `fused-adam-ref-${i}`));
  const decays = (v: tf.Variable): boolean => v.shape.length === 2;
  const fused = new Adam(tfx, { weightDecay: 0.1, decays });
  const ops = new Adam(tfx, { weightDecay: 0.1, decays, fused: false });
  const rng = new Rng(9);
  const counts = { ...adamUpdateCounts };
  let tensorsAfterFirst = 0;
  for (let step = 0; step < 6; step++) {
    const grads = SHAPES.map((s) => tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()), s));
    const before = tf.memory().numTensors;
    fused.apply(fusedVars.map((v, i) => ({ variable: v, grad: grads[i] })), 1e-2);
    if (step === 1) tensorsAfterFirst = tf.memory().numTensors - before;
    ops.apply(opVars.map((v, i) => ({ variable: v, grad: grads[i] })), 1e-2);
    tf.dispose(grads);
  }
  assert.equal(tensorsAfterFirst, 0, 'a fused step leaves no tensor behind');
  assert.equal(adamUpdateCounts.fused - counts.fused, 6 * SHAPES.length);
  for (let i = 0; i < SHAPES.length; i++) {
    const a = fusedVars[i].dataSync();
    const b = opVars[i].dataSync();
    for (let j = 0; j < a.length; j++) assert.ok(Math.abs(a[j] - b[j]) < 2e-6 * Math.max(1, Math.abs(b[j])), `variable ${i}[${j}]: ${a[j]} vs ${b[j]}`);
  }
  fused.dispose();
  ops.dispose();
  tf.dispose([...fusedVars, ...opVars]);
});

test('a variable another tensor shares keeps that tensor unchanged, and a product sees the updated weights (XNNPACK caches packed weights by tensor id)', async () => {
  const { tf: tfx } = await initBackend('wasm');
  const blas = nativeBlas();
  useNativeMatMul(tfx as Tf, blas, false); // the stock kernel is the one with the cache
  try {
    const [w] = setup(2); // [7, 5]
    const x = tf.tensor2d(Float32Array.from({ length: 3 * 7 }, (_, i) => (i % 5) - 2), [3, 7]);
    const snapshot = tf.clone(w); // shares w's buffer on wasm (kernels/identity.ts)
    const before = Array.from(snapshot.dataSync());
    const adam = new Adam(tfx);
    for (let step = 0; step < 3; step++) {
      tf.matMul(x, w).dispose(); // puts w's packed form in XNNPACK's cache
      tf.tidy(() => adam.apply([{ variable: w, grad: tf.onesLike(w) }], 0.1));
    }
    assert.deepEqual(Array.from(snapshot.dataSync()), before);
    const wv = w.dataSync();
    const xv = x.dataSync();
    const y = tf.matMul(x, w).dataSync();
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 5; c++) {
        let want = 0;
        for (let k = 0; k < 7; k++) want += xv[r * 7 + k] * wv[k * 5 + c];
        assert.ok(Math.abs(y[r * 5 + c] - want) < 1e-4, `y[${r}, ${c}] = ${y[r * 5 + c]}, the updated weights give ${want}`);
      }
    }
    adam.dispose();
    tf.dispose([w, x, snapshot]);
  } finally {
    useNativeMatMul(tfx as Tf, blas, blas !== null);
  }
});
