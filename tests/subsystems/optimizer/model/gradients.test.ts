import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

test('every variable of the network gets a finite, non-zero gradient on wasm', async () => {
  const { tf } = await wasmRuntime();
  const data = tinyPrepared(5);
  const model = new GatModel({ ...TINY_CONFIG, numLayers: 3, dropout: 0 }, 4);
  const batch = packBatch(data, [0, 1, 2, 3, 4]);
  const { value, grads } = tf.variableGrads(() => model.loss(batch, true), [...model.variables]);
  assert.equal(Object.keys(grads).length, model.variables.length);
  for (const v of model.variables) {
    const g = grads[v.name];
    assert.ok(g !== undefined && g !== null, `no gradient for ${v.name}`);
    assert.deepEqual(g.shape, v.shape, `gradient of ${v.name} has the wrong shape`);
    const sq = tf.tidy(() => tf.sum(tf.square(g)).dataSync()[0]);
    assert.ok(Number.isFinite(sq) && sq > 0, `gradient of ${v.name} is zero or non-finite (${sq})`);
  }
  value.dispose();
  tf.dispose(Object.values(grads));
  model.dispose();
});

test('the custom gather and segment-sum gradients match finite differences of the loss', async () => {
  const { tf } = await wasmRuntime();
  const data = tinyPrepared(3);
  const model = new GatModel({ ...TINY_CONFIG, dropout: 0 }, 5);
  const batch = packBatch(data, [0, 1, 2]);
  // l0/w_src enters only through the gathers and the segment sums of the first attention layer.
  const v = model.variables.find((x) => x.name.endsWith('/l0/w_src'));
  assert.ok(v !== undefined);
  const { value, grads } = tf.variableGrads(() => model.loss(batch, false), [v]);
  const analytic = grads[v.name].dataSync();
  const base = v.dataSync().slice();
  const eps = 1e-2;
  const lossAt = (i: number, delta: number): number => {
    const w = base.slice();
    w[i] += delta;
    v.assign(tf.tensor(w, v.shape));
    return tf.tidy(() => model.loss(batch, false).dataSync()[0]);
  };
  for (const i of [0, 17, 101, 255]) {
    const numeric = (lossAt(i, eps) - lossAt(i, -eps)) / (2 * eps);
    assert.ok(Math.abs(numeric - analytic[i]) <= 2e-2 * Math.max(1, Math.abs(numeric)), `w_src[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`);
  }
  value.dispose();
  tf.dispose(Object.values(grads));
  model.dispose();
});
