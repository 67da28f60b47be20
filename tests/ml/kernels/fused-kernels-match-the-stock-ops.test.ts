import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { fusedKernelActive, useFusedKernels } from '../../../src/ml/kernels/fused.js';
import { biasAdd } from '../../../src/ml/layers/bias-add.js';
import { causalSoftmax, causalSoftmaxStock } from '../../../src/ml/layers/causal-softmax.js';
import { gatv2Scores, gatv2ScoresStock } from '../../../src/ml/layers/gatv2-scores.js';
import { biasGelu, biasGeluStock } from '../../../src/ml/layers/gelu.js';
import { layerNorm, layerNormStock } from '../../../src/ml/layers/layer-norm.js';
import { splitQkvHeads, splitQkvHeadsStock } from '../../../src/ml/layers/split-heads.js';
import { gatherRows } from '../../../src/ml/kernels/gather-rows.js';
import { segmentSoftmax, segmentSoftmaxStock } from '../../../src/subsystems/optimizer/model/segment.js';
import { weightedSegmentSum, weightedSegmentSumStock } from '../../../src/ml/layers/weighted-segment-sum.js';
import { Rng } from '../../../src/util/rng.js';

/** Each fused host kernel (ml/kernels/fused-*.ts) against the stock ops it replaces: values and every gradient. */

const rng = new Rng(17);
const draw = (shape: number[], scale = 1): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()), shape);
const maxRel = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));

/** The op's outputs and the gradients of Σ out·dy (dy a fixed pattern per output) with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor[], xs: tf.Tensor[]): tf.Tensor[] {
  const outs = f(...xs);
  const dys = outs.map((o, i) => tf.sub(tf.mod(tf.range(i, o.size + i), 7).reshape(o.shape), 3));
  const grads = tf.grads((...inputs: tf.Tensor[]) => tf.addN(f(...inputs).map((o, i) => tf.sum(tf.mul(o, dys[i])))))(xs);
  return [...outs, ...grads];
}

interface Case {
  readonly name: string;
  readonly kernel: string;
  readonly inputs: () => tf.Tensor[];
  readonly fused: (...xs: tf.Tensor[]) => tf.Tensor[];
  readonly stock: (...xs: tf.Tensor[]) => tf.Tensor[];
}

/** Destinations of 13 edges over 7 nodes: segments of 1 to 4 edges, node 4 with none. */
const DST = [3, 0, 5, 5, 1, 3, 3, 0, 2, 6, 5, 1, 3];
const dstTensor = (): tf.Tensor1D => tf.tensor1d(DST, 'int32');

const CASES: readonly Case[] = [
  {
    name: 'segment softmax', kernel: 'ParzenSegmentSoftmax', inputs: () => [draw([13, 3], 3)],
    fused: (l) => [segmentSoftmax(l as tf.Tensor2D, dstTensor(), Int32Array.from(DST), 7)],
    stock: (l) => [segmentSoftmaxStock(l as tf.Tensor2D, dstTensor(), Int32Array.from(DST), 7)],
  },
  {
    name: 'attention-weighted segment sum', kernel: 'ParzenWeightedSegmentSum', inputs: () => [draw([13, 12]), draw([13, 3])],
    fused: (x, a) => [weightedSegmentSum(x as tf.Tensor2D, a as tf.Tensor2D, dstTensor(), Int32Array.from(DST), 7)],
    stock: (x, a) => [weightedSegmentSumStock(x as tf.Tensor2D, a as tf.Tensor2D, dstTensor(), Int32Array.from(DST), 7)],
  },
  {
    name: 'layer norm', kernel: 'ParzenLayerNorm', inputs: () => [tf.add(draw([37, 24], 3), 2), draw([24]), draw([24])],
    fused: (x, g, b) => [layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D)],
    stock: (x, g, b) => [layerNormStock(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D)],
  },
  {
    name: 'bias + GELU', kernel: 'ParzenBiasGelu', inputs: () => [draw([29, 40], 2.5), draw([40])],
    fused: (x, b) => [biasGelu(x as tf.Tensor2D, b as tf.Tensor1D)],
    stock: (x, b) => [biasGeluStock(x as tf.Tensor2D, b as tf.Tensor1D)],
  },
  {
    name: 'causal softmax', kernel: 'ParzenCausalSoftmax', inputs: () => [draw([6, 9, 9], 4)],
    fused: (s) => [causalSoftmax(s as tf.Tensor3D, 0.35)],
    stock: (s) => [causalSoftmaxStock(s as tf.Tensor3D, 0.35)],
  },
  {
    name: 'GATv2 scores', kernel: 'ParzenGatv2Scores', inputs: () => [draw([31, 12]), draw([31, 12]), draw([31, 12]), draw([3, 4])],
    fused: (s, d, e, a) => [gatv2Scores({ src: s as tf.Tensor2D, dst: d as tf.Tensor2D, edge: e as tf.Tensor2D, attn: a as tf.Tensor2D }, 0.2)],
    stock: (s, d, e, a) => [gatv2ScoresStock({ src: s as tf.Tensor2D, dst: d as tf.Tensor2D, edge: e as tf.Tensor2D, attn: a as tf.Tensor2D }, 0.2)],
  },
  {
    // The branch-free LeakyReLU must take the slope at z = 0 exactly, as tfjs' gradient does: rows 0–4 are all zero.
    name: 'GATv2 scores with z = 0', kernel: 'ParzenGatv2Scores',
    inputs: () => [draw([11, 12]), draw([11, 12]), draw([11, 12]), draw([3, 4])].map((x, i) => (i === 3 ? x : tf.mul(x, tf.greaterEqual(tf.range(0, 11), 5).cast('float32').reshape([11, 1])))),
    fused: (s, d, e, a) => [gatv2Scores({ src: s as tf.Tensor2D, dst: d as tf.Tensor2D, edge: e as tf.Tensor2D, attn: a as tf.Tensor2D }, 0.2)],
    stock: (s, d, e, a) => [gatv2ScoresStock({ src: s as tf.Tensor2D, dst: d as tf.Tensor2D, edge: e as tf.Tensor2D, attn: a as tf.Tensor2D }, 0.2)],
  },
  {
    name: 'bias add (column-sum gradient)', kernel: 'ParzenColumnSum', inputs: () => [draw([23, 14]), draw([14])],
    fused: (x, b) => [biasAdd(x as tf.Tensor2D, b as tf.Tensor1D)],
    stock: (x, b) => [tf.add(x, b)],
  },
  {
    name: 'Q/K/V head split', kernel: 'ParzenSplitHeads', inputs: () => [draw([3 * 5, 3 * 8])],
    fused: (qkv) => splitQkvHeads(qkv as tf.Tensor2D, { batch: 3, heads: 2 }),
    stock: (qkv) => splitQkvHeadsStock(qkv as tf.Tensor2D, { batch: 3, heads: 2 }),
  },
];

for (const backend of ['wasm', 'cpu'] as const) {
  test(`on ${backend}, each fused kernel equals the stock ops in value and in every input's gradient`, async () => {
    await initBackend(backend);
    useFusedKernels(true); // compared with the stock forms whatever PARZEN_FUSED says
    for (const c of CASES) {
      assert.ok(fusedKernelActive(c.kernel), `${c.kernel} is registered on ${backend}`);
      const xs = c.inputs();
      const ours = valueAndGrads(c.fused, xs);
      const ref = valueAndGrads(c.stock, xs);
      assert.equal(ours.length, ref.length);
      for (let i = 0; i < ref.length; i++) {
        assert.deepEqual(ours[i].shape, ref[i].shape, `${c.name} output ${i} shape`);
        const rel = maxRel(ours[i], ref[i]);
        assert.ok(rel < 2e-5, `${c.name} on ${backend}: output ${i} (values first, then gradients) differs by ${rel.toExponential(2)}`);
      }
      tf.dispose([...xs, ...ours, ...ref]);
    }
  });
}

test('with the fused kernels switched off the layers run the stock ops, and a bad shape names the kernel and the shapes', async () => {
  await initBackend('wasm');
  useFusedKernels(false);
  try {
    assert.equal(fusedKernelActive('ParzenLayerNorm'), false);
    const x = draw([4, 6]) as tf.Tensor2D;
    const before = tf.engine().state.numTensors;
    layerNorm(x, tf.ones([6]), tf.zeros([6]));
    assert.ok(tf.engine().state.numTensors - before > 4, 'the stock form leaves its intermediates');
  } finally {
    useFusedKernels(true);
  }
  assert.throws(
    () => layerNorm(draw([4, 6]) as tf.Tensor2D, tf.ones([5]), tf.zeros([5])),
    (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE' && /ParzenLayerNorm: gain and bias must be \[6\], got \[5\]/.test(e.message),
  );
  assert.throws(() => causalSoftmax(draw([2, 3, 4]) as tf.Tensor3D, 1), (e: unknown) => e instanceof TrainingError && /scores must be \[\.\.\., T, T\], got \[2, 3, 4\]/.test(e.message));
});

test('gatherRows through the fused kernel equals tf.gather in value and gradient, and names a bad index, on wasm and cpu', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend(backend);
    assert.ok(fusedKernelActive('ParzenGatherRows'));
    const x = draw([9, 5]) as tf.Tensor2D;
    const idxValues = Int32Array.from([4, 0, 8, 4, 4, 2, 7]);
    const idx = tf.tensor1d(idxValues, 'int32');
    const ours = valueAndGrads((t) => [gatherRows(t as tf.Tensor2D, idx, idxValues)], [x]);
    const ref = valueAndGrads((t) => [tf.gather(t, idx)], [x]);
    for (let i = 0; i < 2; i++) assert.ok(maxRel(ours[i], ref[i]) < 1e-6, `${backend} output ${i}`);
    assert.throws(
      () => gatherRows(x, tf.tensor1d([9], 'int32'), Int32Array.from([9])),
      (e: unknown) => e instanceof TrainingError && /gatherRows: index 9 at position 0 is outside \[0, 9\)/.test(e.message),
    );
  }
});
