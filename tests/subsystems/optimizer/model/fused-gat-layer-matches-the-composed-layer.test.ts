import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { fusedGatLayerActive, useFusedGatLayer } from '../../../../src/subsystems/optimizer/model/fused-gat-layer.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { useFusedKernels } from '../../../../src/ml/kernels/fused.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

/**
 * The fused graph-attention layer and the fused head + loss (one custom op each, hand-written backward; both follow
 * `useFusedGatLayer`) against the layer, head and loss composed of the kit's ops with tfjs' backprop: the loss and every variable's gradient of a 3-layer network, with and without keyed
 * dropout, in evaluation mode too. The fused form does the same arithmetic in the same order, so the two agree bit
 * for bit; the check also runs against the stock ops (fused kernels off), where only float summation order differs.
 */

interface Run {
  readonly loss: number;
  readonly grads: ReadonlyMap<string, Float32Array>;
  readonly predictions: Float32Array;
}

async function run(fusedLayer: boolean, dropout: number): Promise<Run> {
  const { tf } = await wasmRuntime();
  useFusedGatLayer(fusedLayer);
  try {
    const data = tinyPrepared(5, 11);
    const model = new GatModel({ ...TINY_CONFIG, numLayers: 3, dropout }, 9);
    const batch = { ...packBatch(data, [0, 1, 2, 3, 4]), dropoutSeed: 12345 };
    const { value, grads } = tf.variableGrads(() => model.loss(batch, true), [...model.variables]);
    const out: Run = {
      loss: value.dataSync()[0],
      // Keyed by the name without the model's unique prefix: the two models' variables are created in one order.
      grads: new Map(model.variables.map((v, i) => [`${i}:${v.name.split('/').slice(-2).join('/')}`, grads[v.name].dataSync() as Float32Array])),
      predictions: model.predict(batch),
    };
    value.dispose();
    tf.dispose(Object.values(grads));
    model.dispose();
    return out;
  } finally {
    useFusedGatLayer(true);
  }
}

function largestDifference(a: Run, b: Run): { name: string; relative: number } {
  let worst = { name: 'loss', relative: Math.abs(a.loss - b.loss) / Math.abs(b.loss) };
  for (const [name, ga] of a.grads) {
    const gb = b.grads.get(name) as Float32Array;
    let diff = 0;
    let scale = 1e-12;
    for (let i = 0; i < ga.length; i++) {
      diff = Math.max(diff, Math.abs(ga[i] - gb[i]));
      scale = Math.max(scale, Math.abs(gb[i]));
    }
    if (diff / scale > worst.relative) worst = { name, relative: diff / scale };
  }
  return worst;
}

for (const dropout of [0, 0.2]) {
  test(`the fused layer gives the composed layer's loss, predictions and gradients bit for bit (dropout ${dropout})`, async () => {
    await wasmRuntime();
    assert.ok(fusedGatLayerActive(), 'the fused layer should be active on wasm with the fused kernels');
    const fused = await run(true, dropout);
    const composed = await run(false, dropout);
    assert.ok(fused.loss > 0 && Number.isFinite(fused.loss));
    assert.deepEqual(largestDifference(fused, composed), { name: 'loss', relative: 0 });
    assert.deepEqual(fused.predictions, composed.predictions);
    // Dropout must reach the fused layer: its masks change the loss.
    if (dropout > 0) assert.notEqual(fused.loss, (await run(true, 0)).loss);
  });
}

test('the fused layer agrees with the stock ops up to float summation order', async () => {
  await wasmRuntime();
  const fused = await run(true, 0.2);
  useFusedKernels(false);
  try {
    const stock = await run(false, 0.2);
    const worst = largestDifference(fused, stock);
    assert.ok(worst.relative < 1e-4, `${worst.name} differs by ${worst.relative} (relative to its largest element)`);
  } finally {
    useFusedKernels(true);
  }
});
