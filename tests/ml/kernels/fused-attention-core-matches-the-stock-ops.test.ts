import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { runFused, useFusedKernels } from '../../../src/ml/kernels/fused.js';
import { nativeBlas } from '../../../src/ml/kernels/native-blas.js';
import { nativeMatMulActive } from '../../../src/ml/kernels/native-matmul.js';
import { useNativeKernels } from '../../../src/ml/kernels/native-kernels.js';
import { attentionCore, attentionCoreFused, attentionCoreStock } from '../../../src/ml/layers/attention-core.js';
import { biasAdd } from '../../../src/ml/layers/bias-add.js';
import { residualAdd } from '../../../src/ml/layers/residual-add.js';
import { Rng } from '../../../src/util/rng.js';

/** The fused attention core (ml/layers/attention-core.ts) and the bias and residual adds against the stock ops. */

const rng = new Rng(29);
const draw = (shape: number[], scale = 1): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()), shape);
const maxRel = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));

/** The op's value and the gradients of Σ out·dy (dy a fixed pattern) with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  const out = f(...xs);
  const dy = tf.sub(tf.mod(tf.range(0, out.size), 7).reshape(out.shape), 3);
  const grads = tf.grads((...inputs: tf.Tensor[]) => tf.sum(tf.mul(f(...inputs), dy)))(xs);
  return [out, ...grads];
}

// On wasm with the addon's C kernels on, the core runs as one kernel each way; with them off (and on cpu), as five and seven.
for (const [backend, native] of [['wasm', true], ['wasm', false], ['cpu', true]] as const) {
  test(`on ${backend}${native ? '' : ' without the C kernels'}, the fused attention core equals split, softmax and products of stock ops in value and in the qkv and bias gradients`, async () => {
    await initBackend(backend);
    useFusedKernels(true);
    useNativeKernels(native);
    assert.ok(attentionCoreFused(), `the attention core's kernels are registered on ${backend}`);
    // 3 sequences of 5 positions, 2 heads of width 4: C = 8, qkv [15, 24].
    const xs = [draw([15, 24], 2), draw([24])];
    const core = (qkv: tf.Tensor, b: tf.Tensor): tf.Tensor => attentionCore(qkv as tf.Tensor2D, b as tf.Tensor1D, { batch: 3, heads: 2 });
    const stock = (qkv: tf.Tensor, b: tf.Tensor): tf.Tensor => attentionCoreStock(qkv as tf.Tensor2D, b as tf.Tensor1D, { batch: 3, heads: 2 });
    const ours = valueAndGrads(core, xs);
    const ref = valueAndGrads(stock, xs);
    for (let i = 0; i < ref.length; i++) {
      assert.deepEqual(ours[i].shape, ref[i].shape, `output ${i} shape`);
      const rel = maxRel(ours[i], ref[i]);
      assert.ok(rel < 2e-5, `on ${backend}: output ${i} (value, d qkv, d bias) differs by ${rel.toExponential(2)}`);
    }
    // Position 0 of each sequence sees only itself: its output is its own V (plus bias), whatever the other rows hold.
    const v0 = tf.tidy(() => tf.add(tf.slice(xs[0], [0, 16], [1, 8]), tf.slice(xs[1], [16], [8])));
    assert.ok(maxRel(tf.slice(ours[0], [0, 0], [1, 8]), v0) < 1e-6, 'the first position attends to itself only');
    tf.dispose([...xs, ...ours, ...ref, v0]);
    useNativeKernels(true);
  });
}

test('the fused core keeps no tensor after the backward pass, saves without Identity kernels, and runs in one kernel each way with native products', async () => {
  await initBackend('wasm');
  useFusedKernels(true);
  const qkv = draw([8, 18]);
  const bias = draw([18]);
  const dy = draw([8, 6]);
  // dy given, so the tape holds the core alone (a loss op would save its own inputs with clones).
  const step = (): void => tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => attentionCore(a as tf.Tensor2D, b as tf.Tensor1D, { batch: 2, heads: 3 }))([qkv, bias], dy));
  for (const native of [true, false]) {
    useNativeKernels(native);
    step();
    const before = tf.memory().numTensors;
    const profile = await tf.profile(step);
    assert.equal(tf.memory().numTensors, before, 'every saved tensor is disposed with the tape');
    const names = profile.kernels.map((k) => k.name).filter((n) => n !== 'forward');
    assert.deepEqual(names.filter((n) => n === 'Identity'), [], `no clone kernels: ${names.join(', ')}`);
    const oneKernel = native && nativeBlas() !== null;
    if (oneKernel) assert.deepEqual(names, ['ParzenAttentionCore', 'ParzenAttentionCoreGrad']);
    else if (nativeMatMulActive(tf)) assert.equal(names.length, 12, `5 kernels forward, 7 backward: ${names.join(', ')}`);
    else {
      // Without the addon the wasm products run one fast call per slice (kernels/matmul.ts), so only the core's own kernels are counted.
      const own = names.filter((n) => n !== 'BatchMatMul' && n !== 'Transpose');
      assert.deepEqual(own, ['ParzenSplitQkvBias', 'ParzenCausalSoftmax', 'ParzenMergeHeads', 'ParzenSplitRows', 'ParzenCausalSoftmaxGrad', 'ParzenPackQkvGrad'], names.join(', '));
    }
  }
  useNativeKernels(true);
  tf.dispose([qkv, bias, dy]);
});

test('the one-kernel core equals the stock ops through its plain loops too, on wasm and cpu', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend(backend);
    useNativeKernels(false);
    const [qkv, bias, dy] = [draw([10, 24]), draw([24]), draw([10, 8])];
    const attrs = { batch: 2, heads: 2, scale: 1 / 2 };
    const [y, q, k, v, p] = runFused('ParzenAttentionCore', { qkv, bias }, attrs);
    const [dqkv, dBias] = runFused('ParzenAttentionCoreGrad', { dy, q, k, v, p }, attrs);
    const stock = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => attentionCoreStock(a as tf.Tensor2D, b as tf.Tensor1D, { batch: 2, heads: 2 });
    const [refDqkv, refDBias] = tf.grads(stock)([qkv, bias], dy);
    const pairs: Array<[string, tf.Tensor, tf.Tensor]> = [['y', y, stock(qkv, bias)], ['dqkv', dqkv, refDqkv], ['d bias', dBias, refDBias]];
    for (const [name, ours, ref] of pairs) assert.ok(maxRel(ours, ref) < 2e-5, `${backend}: ${name} differs by ${maxRel(ours, ref).toExponential(2)}`);
    assert.throws(() => runFused('ParzenAttentionCoreGrad', { dy: draw([10, 6]), q, k, v, p }, attrs), (e: unknown) => e instanceof TrainingError && /ParzenAttentionCoreGrad: dy \[10, 6\]/.test(e.message));
  }
  useNativeKernels(true);
});

test('biasAdd equals tf.add bit for bit and residualAdd gives both inputs dy without a kernel; a shape mismatch names both shapes', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend(backend);
    const x = draw([9, 6]) as tf.Tensor2D;
    const b = draw([6]) as tf.Tensor1D;
    assert.deepEqual(Array.from(biasAdd(x, b).dataSync()), Array.from(tf.add(x, b).dataSync()), `${backend}: bias add`);
    const y = draw([9, 6]) as tf.Tensor2D;
    const dy = draw([9, 6]);
    const residual = tf.grads((p: tf.Tensor, q: tf.Tensor) => residualAdd(p, q));
    for (const g of residual([x, y], dy)) assert.deepEqual(Array.from(g.dataSync()), Array.from(dy.dataSync()), `${backend}: the residual's gradients are dy`);
    const profile = await tf.profile(() => tf.dispose(residual([x, y], dy)));
    assert.deepEqual(profile.kernels.map((k) => k.name).filter((n) => n !== 'forward'), ['Add'], `${backend}: one Add forward, no kernel backward`);
  }
  assert.throws(() => residualAdd(draw([2, 3]), draw([3, 2])), (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE' && /\[2, 3\] \+ \[3, 2\]/.test(e.message));
});
