import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { fusedKernelActive } from '../../../../src/ml/kernels/fused.js';
import { nativeMatMulActive } from '../../../../src/ml/kernels/native-matmul.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

test('every kernel of the forward and backward pass is registered on the wasm backend', async () => {
  const { tf, backend } = await wasmRuntime();
  assert.equal(backend, 'wasm');
  const data = tinyPrepared(3);
  const model = new GatModel(TINY_CONFIG, 1);
  const batch = packBatch(data, [0, 1, 2]);
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, true), [...model.variables]);
    value.dispose();
    tf.dispose(Object.values(grads));
  });
  // Custom-gradient scopes appear as "unnamed scope"; they are not kernels.
  const kernels = [...new Set(info.kernelNames)].filter((k) => k !== 'unnamed scope');
  // Gradients write transposes out on the stock matmul kernel; the native one takes transpose flags instead.
  const transpose = nativeMatMulActive(tf) ? [] : ['Transpose'];
  // No Max: the readout's max runs on the host (ml/kernels/max-over-rows.ts, one gradient per tied node).
  // The attention's softmax is one fused kernel pair, or the stock chain with its Exp.
  const softmax = fusedKernelActive('ParzenSegmentSoftmax') ? ['ParzenSegmentSoftmax', 'ParzenSegmentSoftmaxGrad'] : ['Exp'];
  for (const name of ['BatchMatMul', ...transpose, 'UnsortedSegmentSum', ...softmax, 'EluGrad']) {
    assert.ok(kernels.includes(name), `expected ${name} among the kernels used: ${kernels.join(', ')}`);
  }
  const missing = kernels.filter((k) => tf.getKernel(k, 'wasm') === undefined);
  assert.deepEqual(missing, [], `kernels without a wasm implementation: ${missing.join(', ')}`);
  model.dispose();
});
