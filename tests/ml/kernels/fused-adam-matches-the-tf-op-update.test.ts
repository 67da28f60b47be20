import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../../../src/ml/adam.js';
import { initBackend } from '../../../src/ml/backend.js';
import { adamUpdateCounts } from '../../../src/ml/kernels/adam-update.js';
import { Rng } from '../../../src/util/rng.js';

/** The fused in-place AdamW on wasm against the tf-op update (fused: false), and its copy-on-share rule. */

const SHAPES = [[7, 5], [5], [3, 4, 2]];

let made = 0;
function setup(seed: number): tf.Variable[] {
  made += 1;
  const rng = new Rng(seed);
  return SHAPES.map((s, i) => tf.variable(tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()), s), true, `fused-adam-${made}-${i}`));
}

test('fused AdamW on wasm follows the tf-op AdamW step for step (decay on 2-D weights only), allocating no tensor', async () => {
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
  assert.equal(tensorsAfterFirst, 0, 'a fused step creates no tensor');
  // Step 1 copies each buffer once (opVars were made from fusedVars and share their buffers); every later step is in place.
  assert.equal(adamUpdateCounts.copied - counts.copied, SHAPES.length);
  assert.equal(adamUpdateCounts.inPlace - counts.inPlace, 5 * SHAPES.length);
  for (let i = 0; i < SHAPES.length; i++) {
    const a = fusedVars[i].dataSync();
    const b = opVars[i].dataSync();
    for (let j = 0; j < a.length; j++) assert.ok(Math.abs(a[j] - b[j]) < 2e-6 * Math.max(1, Math.abs(b[j])), `variable ${i}[${j}]: ${a[j]} vs ${b[j]}`);
  }
  fused.dispose();
  ops.dispose();
  tf.dispose([...fusedVars, ...opVars]);
});

test('a variable whose buffer another tensor shares gets its own copy before the in-place update: the other tensor keeps its values', async () => {
  const { tf: tfx } = await initBackend('wasm');
  const [v] = setup(2);
  const snapshot = tf.clone(v); // shares v's buffer on wasm (kernels/identity.ts)
  const before = Array.from(snapshot.dataSync());
  const copied = adamUpdateCounts.copied;
  const adam = new Adam(tfx);
  adam.apply([{ variable: v, grad: tf.onesLike(v) }], 0.1);
  assert.equal(adamUpdateCounts.copied, copied + 1);
  assert.deepEqual(Array.from(snapshot.dataSync()), before);
  assert.notDeepEqual(Array.from(v.dataSync()), before);
  adam.dispose();
  tf.dispose([v, snapshot]);
});
