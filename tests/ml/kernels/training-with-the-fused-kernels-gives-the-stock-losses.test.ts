import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../../../src/ml/adam.js';
import { initBackend, type Tf } from '../../../src/ml/backend.js';
import { useFusedKernels } from '../../../src/ml/kernels/fused.js';
import { GptModel, type TokenBatch } from '../../../src/subsystems/cllm/model/gpt.js';
import { batches, type GraphBatch } from '../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../src/subsystems/optimizer/model/gat-model.js';
import { randomTokens } from '../../subsystems/cllm/fixtures.js';
import { TINY_CONFIG as GAT_CONFIG, tinyPrepared } from '../../subsystems/optimizer/model/fixtures.js';

/** A few Adam steps of each model from one seed, fused kernels on and off: the losses agree to float tolerance. */

interface Trainable<B> {
  readonly variables: readonly tf.Variable[];
  loss(batch: B, training: boolean): tf.Scalar;
  dispose(): void;
}

function losses<B>(tfx: Tf, fused: boolean, make: () => Trainable<B>, data: readonly B[], lr: number): number[] {
  useFusedKernels(fused);
  const model = make();
  const adam = new Adam(tfx);
  try {
    return data.map((b) =>
      tf.tidy(() => {
        const vars = [...model.variables];
        const { value, grads } = tf.variableGrads(() => model.loss(b, true), vars);
        adam.apply(vars.map((v) => ({ variable: v, grad: grads[v.name] })), lr);
        return value.dataSync()[0];
      }),
    );
  } finally {
    adam.dispose();
    model.dispose();
    useFusedKernels(true);
  }
}

function assertClose(ours: number[], ref: number[], what: string): void {
  for (let i = 0; i < ref.length; i++) {
    const rel = Math.abs(ours[i] - ref[i]) / Math.abs(ref[i]);
    assert.ok(rel < 1e-4, `${what} step ${i}: fused ${ours[i]} vs stock ${ref[i]} (rel ${rel.toExponential(2)})`);
  }
  // The steps moved the loss: a model that did not train would agree trivially.
  assert.ok(Math.abs(ref[0] - ref.at(-1)!) > 1e-3, `${what}: loss ${ref[0]} → ${ref.at(-1)} did not move`);
}

function tokenBatch(seed: number): TokenBatch {
  const T = 16;
  const stream = randomTokens(4 * T + 1, 30, seed);
  return { batch: 4, time: T, tokens: stream.subarray(0, 4 * T), targets: stream.subarray(1, 4 * T + 1) };
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`on ${backend}, six training steps of the cllm transformer give the same losses with and without the fused kernels`, async () => {
    const { tf: tfx } = await initBackend(backend);
    const config = { vocabSize: 30, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 32, dropout: 0 };
    const data = [1, 2, 3, 1, 2, 3].map(tokenBatch);
    const make = (): GptModel => new GptModel(config, 3, { diagEvery: 1000 });
    assertClose(losses(tfx, true, make, data, 1e-2), losses(tfx, false, make, data, 1e-2), `cllm on ${backend}`);
  });
}

test('on wasm, six training steps of the graph network give the same losses with and without the fused kernels', async () => {
  const { tf: tfx } = await initBackend('wasm');
  const data: GraphBatch[] = [...batches(tinyPrepared(24), { batchSize: 4, seed: 3, epoch: 0, shuffle: true })].slice(0, 6);
  // Dropout 0: the fused and stock paths draw no masks, so both see the same network.
  const make = (): GatModel => new GatModel({ ...GAT_CONFIG, dropout: 0 }, 5);
  assertClose(losses(tfx, true, make, data, 3e-3), losses(tfx, false, make, data, 3e-3), 'GAT on wasm');
});
