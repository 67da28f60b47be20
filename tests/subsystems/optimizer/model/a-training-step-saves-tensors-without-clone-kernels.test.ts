import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { useFusedGatLayer } from '../../../../src/subsystems/optimizer/model/fused-gat-layer.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

/**
 * The graph network's custom ops (fused layer, fused head + loss, and the composed layer's segment softmax, row
 * gathers, GATv2 scores and weighted segment sums) save their tensors for the backward pass through `saveShared`,
 * not tfjs' `save`, whose clone of each tensor runs an Identity kernel through the engine's whole dispatch: at
 * 128×3 that was 50 of a training step's 201 kernels, a fixed cost every data-parallel replica pays in full. On
 * the fused path (what training runs) the only clone left is the one stock op whose gradient saves an input. The
 * composed path's stock ops (Elu, Multiply, Add, …) still save through tfjs: 59 clones in this step, 93 before the
 * kit's custom ops used saveShared. Values and gradients are unchanged (the shared tensor is the same buffer):
 * fused-gat-layer-matches-the-composed-layer checks them bit for bit.
 */
for (const [fused, most] of [[true, 1], [false, 59]] as const) {
  test(`a training step (${fused ? 'fused' : 'composed'} layer) runs at most ${most} Identity kernel(s) and keeps no tensor after the backward pass`, async () => {
    const { tf } = await wasmRuntime();
    useFusedGatLayer(fused);
    try {
      const data = tinyPrepared(5, 11);
      const model = new GatModel({ ...TINY_CONFIG, numLayers: 3, dropout: 0.2 }, 9);
      const batch = { ...packBatch(data, [0, 1, 2, 3, 4]), dropoutSeed: 12345 };
      const step = (): void => {
        const { value, grads } = tf.variableGrads(() => model.loss(batch, true), [...model.variables]);
        value.dispose();
        tf.dispose(Object.values(grads));
      };
      step();
      const before = tf.memory().numTensors;
      const profile = await tf.profile(step);
      assert.equal(tf.memory().numTensors, before, 'every saved tensor is disposed with the tape');
      const names = profile.kernels.map((k) => k.name);
      const clones = names.filter((n) => n === 'Identity').length;
      assert.ok(names.length > 20, `the profile should see the step's kernels: ${names.join(', ')}`);
      assert.ok(clones <= most, `${clones} Identity kernels in a step of ${names.length}: ${names.join(', ')}`);
      model.dispose();
    } finally {
      useFusedGatLayer(true);
    }
  });
}
