import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { matmulStatus } from '../../../src/ml/kernels/native-blas.js';
import { adamUpdateFused } from '../../../src/ml/kernels/adam-update.js';
import { useFusedKernels } from '../../../src/ml/kernels/fused.js';
import { nativeKernels, useNativeKernels } from '../../../src/ml/kernels/native-kernels.js';
import { biasAdd } from '../../../src/ml/layers/bias-add.js';
import { causalSoftmax, causalSoftmaxStock } from '../../../src/ml/layers/causal-softmax.js';
import { biasGelu, biasGeluStock } from '../../../src/ml/layers/gelu.js';
import { gatv2Scores, gatv2ScoresStock } from '../../../src/ml/layers/gatv2-scores.js';
import { layerNorm, layerNormStock } from '../../../src/ml/layers/layer-norm.js';
import { gatherRows, segmentSum } from '../../../src/ml/kernels/gather-rows.js';
import { segmentSoftmax, segmentSoftmaxStock } from '../../../src/subsystems/optimizer/model/segment.js';
import { weightedSegmentSum, weightedSegmentSumStock } from '../../../src/ml/layers/weighted-segment-sum.js';
import { Rng } from '../../../src/util/rng.js';

/**
 * The C loops of native/src/parzen_kernels_{dense,graph}.c against the JS loops of the fused kernels (ml/kernels/fused-*.ts) and
 * the stock ops, through the layers that call them, on both host backends: values and every input's gradient, with
 * the inputs where the branch-free forms could go wrong (GELU where e^(−u²/2) underflows, LeakyReLU at z = 0,
 * negative and out-of-range segment ids). Without an addon that has them (no BLAS, PARZEN_NATIVE=0) the test
 * checks that the JS loops run and says so.
 */

const rng = new Rng(27);
const draw = (shape: number[], scale = 1): tf.Tensor => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()), shape);
const maxRel = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));

/** The op's outputs and the gradients of Σ out·dy (dy a fixed pattern) with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): tf.Tensor[] {
  const out = f(...xs);
  const dy = tf.sub(tf.mod(tf.range(0, out.size), 7).reshape(out.shape), 3);
  const grads = tf.grads((...inputs: tf.Tensor[]) => tf.sum(tf.mul(f(...inputs), dy)))(xs);
  return [out, ...grads];
}

/** Rows 0–4 zero: z = src + dst + edge is exactly 0 there. */
const zeroRows = (x: tf.Tensor): tf.Tensor => tf.mul(x, tf.greaterEqual(tf.range(0, x.shape[0]), 5).cast('float32').reshape([x.shape[0], 1]));

interface Case {
  readonly name: string;
  readonly inputs: () => tf.Tensor[];
  readonly op: (...xs: tf.Tensor[]) => tf.Tensor;
  readonly stock: (...xs: tf.Tensor[]) => tf.Tensor;
}

const ids = [3, 0, 5, 5, 1, 3, 3, 0, 2, 6, 5, 1, 0];
const CASES: readonly Case[] = [
  {
    // Columns of 40 over rows of u up to ±20: e^(−u²/2) underflows to 0 for |u| > 13.2.
    name: 'bias + GELU', inputs: () => [tf.concat([draw([23, 40], 2.5), draw([4, 40], 9)]), draw([40])],
    op: (x, b) => biasGelu(x as tf.Tensor2D, b as tf.Tensor1D), stock: (x, b) => biasGeluStock(x as tf.Tensor2D, b as tf.Tensor1D),
  },
  {
    name: 'causal softmax', inputs: () => [draw([5, 37, 37], 4)],
    op: (s) => causalSoftmax(s as tf.Tensor3D, 0.35), stock: (s) => causalSoftmaxStock(s as tf.Tensor3D, 0.35),
  },
  {
    name: 'bias add (column-sum gradient)', inputs: () => [draw([29, 70]), draw([70])],
    op: (x, b) => biasAdd(x as tf.Tensor2D, b as tf.Tensor1D), stock: (x, b) => tf.add(x, b),
  },
  {
    name: 'layer norm', inputs: () => [tf.add(draw([37, 136], 3), 2), draw([136]), draw([136])],
    op: (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D), stock: (x, g, b) => layerNormStock(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
  },
  {
    name: 'GATv2 scores', inputs: () => [zeroRows(draw([41, 24])), zeroRows(draw([41, 24])), zeroRows(draw([41, 24])), draw([3, 8])],
    op: (s, d, e, a) => gatv2Scores({ src: s as tf.Tensor2D, dst: d as tf.Tensor2D, edge: e as tf.Tensor2D, attn: a as tf.Tensor2D }, 0.2),
    stock: (s, d, e, a) => gatv2ScoresStock({ src: s as tf.Tensor2D, dst: d as tf.Tensor2D, edge: e as tf.Tensor2D, attn: a as tf.Tensor2D }, 0.2),
  },
  {
    name: 'segment sum', inputs: () => [draw([ids.length, 19])],
    op: (x) => segmentSum(x as tf.Tensor2D, tf.tensor1d(ids, 'int32'), Int32Array.from(ids), 8),
    stock: (x) => tf.unsortedSegmentSum(x, tf.tensor1d(ids, 'int32'), 8),
  },
  {
    name: 'segment softmax', inputs: () => [draw([ids.length, 5], 4)],
    op: (l) => segmentSoftmax(l as tf.Tensor2D, tf.tensor1d(ids, 'int32'), Int32Array.from(ids), 8),
    stock: (l) => segmentSoftmaxStock(l as tf.Tensor2D, tf.tensor1d(ids, 'int32'), Int32Array.from(ids), 8),
  },
  {
    name: 'attention-weighted segment sum', inputs: () => [draw([ids.length, 4 * 9]), draw([ids.length, 4])],
    op: (x, a) => weightedSegmentSum(x as tf.Tensor2D, a as tf.Tensor2D, tf.tensor1d(ids, 'int32'), Int32Array.from(ids), 8),
    stock: (x, a) => weightedSegmentSumStock(x as tf.Tensor2D, a as tf.Tensor2D, tf.tensor1d(ids, 'int32'), Int32Array.from(ids), 8),
  },
  {
    name: 'gather rows', inputs: () => [draw([8, 21])],
    op: (x) => gatherRows(x as tf.Tensor2D, tf.tensor1d(ids, 'int32'), Int32Array.from(ids)),
    stock: (x) => tf.gather(x, tf.tensor1d(ids, 'int32')),
  },
];

for (const backend of ['wasm', 'cpu'] as const) {
  test(`on ${backend}, the C kernels equal the JS kernels and the stock ops in value and in every input's gradient`, async (t) => {
    await initBackend(backend);
    useFusedKernels(true); // the C and JS loops are the fused kernels', whatever PARZEN_FUSED says
    if (nativeKernels() === null) {
      t.diagnostic(`no native kernels (${matmulStatus().summary}): the JS loops run`);
      useNativeKernels(true);
      assert.equal(nativeKernels(), null);
      return;
    }
    for (const c of CASES) {
      const xs = c.inputs();
      const ours = valueAndGrads(c.op, xs);
      useNativeKernels(false);
      const js = valueAndGrads(c.op, xs);
      useNativeKernels(true);
      const ref = valueAndGrads(c.stock, xs);
      for (let i = 0; i < ref.length; i++) {
        assert.deepEqual(ours[i].shape, ref[i].shape, `${c.name} output ${i} shape`);
        const againstJs = maxRel(ours[i], js[i]);
        const againstStock = maxRel(ours[i], ref[i]);
        assert.ok(againstJs < 2e-6 && againstStock < 2e-5, `${c.name} on ${backend}: output ${i} (value first) differs from the JS loop by ${againstJs.toExponential(2)}, from the stock ops by ${againstStock.toExponential(2)}`);
      }
      tf.dispose([...xs, ...ours, ...js, ...ref]);
    }
  });
}

test('the C segment sum names an out-of-range id as the JS loop does, and drops negative ids', async (t) => {
  await initBackend('wasm');
  if (nativeKernels() === null) return t.skip('no native kernels');
  const x = draw([4, 3]);
  const bad = (): tf.Tensor => tf.unsortedSegmentSum(x, tf.tensor1d([0, 1, 7, 2], 'int32'), 3);
  const message = /UnsortedSegmentSum: segmentIds\[2\] = 7 is out of range \[0, 3\)/;
  assert.throws(bad, (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE' && message.test(e.message));
  useNativeKernels(false);
  assert.throws(bad, (e: unknown) => e instanceof TrainingError && message.test(e.message));
  useNativeKernels(true);
  const dropped = tf.unsortedSegmentSum(x, tf.tensor1d([-1, 1, -1, 1], 'int32'), 2);
  const rows = x.arraySync() as number[][];
  const want = [[0, 0, 0], rows[1].map((v, j) => v + rows[3][j])];
  const got = dropped.arraySync() as number[][];
  for (let j = 0; j < 3; j++) {
    assert.equal(got[0][j], 0);
    assert.ok(Math.abs(got[1][j] - want[1][j]) < 1e-6);
  }
});

test('the C row gather names an index outside the rows as the JS loop does', async (t) => {
  await initBackend('wasm');
  if (nativeKernels() === null) return t.skip('no native kernels');
  const x = draw([4, 3]);
  const message = /gatherRows: index -1 at position 1 is outside \[0, 4\)/;
  for (const on of [true, false]) {
    useNativeKernels(on);
    assert.throws(() => gatherRows(x as tf.Tensor2D, tf.tensor1d([2, -1, 9], 'int32'), Int32Array.from([2, -1, 9])), (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE' && message.test(e.message));
  }
  useNativeKernels(true);
});

test('the segment softmax names a segment id outside [0, nodes), in C and in JS', async () => {
  await initBackend('wasm');
  useFusedKernels(true); // the kernel's check, whatever PARZEN_FUSED says
  const l = draw([4, 2]);
  for (const on of [true, false]) {
    useNativeKernels(on);
    assert.throws(
      () => segmentSoftmax(l as tf.Tensor2D, tf.tensor1d([0, 1, 3, 1], 'int32'), Int32Array.from([0, 1, 3, 1]), 3),
      (e: unknown) => e instanceof TrainingError && e.code === 'SHAPE' && /ParzenSegmentSoftmax: segment id 3 at position 2 is outside \[0, 3\)/.test(e.message),
    );
  }
  useNativeKernels(true);
});

test('a native kernel given an array shorter than its shape throws a RangeError and writes nothing', async (t) => {
  await initBackend('wasm');
  const native = nativeKernels();
  if (native === null) return t.skip('no native kernels');
  const y = new Float32Array(5).fill(7);
  assert.throws(() => native.biasGelu(new Float32Array(6), new Float32Array(3), y, new Float32Array(6), 2, 3), /biasGelu: argument 2 holds 5 elements, its shape needs 6/);
  assert.deepEqual(Array.from(y), [7, 7, 7, 7, 7]);
  assert.throws(() => native.segmentSum(new Float32Array(6), new Float32Array(2) as unknown as Int32Array, new Float32Array(6), 2, 3, 2), /segmentSum: argument 1 must be an Int32Array/);
});

test('the C AdamW step writes the same bits as the JS loop: weights and both moments, over 5 steps with decay', async (t) => {
  const { tf: tfx } = await initBackend('wasm');
  if (nativeKernels() === null) return t.skip('no native kernels');
  const n = 1000;
  const init = Float32Array.from({ length: n }, () => rng.normal());
  const runs = [true, false].map((on) => {
    useNativeKernels(on);
    const w = tfx.variable(tfx.tensor1d(init), true, `native-adam-${on}`);
    const moments = { m: new Float32Array(n), v: new Float32Array(n) };
    const gr = new Rng(5);
    for (let step = 1; step <= 5; step++) {
      const grad = tfx.tensor1d(Float32Array.from({ length: n }, () => gr.normal()));
      assert.ok(adamUpdateFused(tfx, w, grad, moments, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, stepSize: 1e-2 * Math.sqrt(1 - 0.95 ** step) / (1 - 0.9 ** step), decay: 1e-3 }));
      grad.dispose();
    }
    const out = { w: Float32Array.from(w.dataSync() as Float32Array), ...moments };
    w.dispose();
    return out;
  });
  useNativeKernels(true);
  for (const key of ['w', 'm', 'v'] as const) {
    const differing = runs[0][key].findIndex((x, i) => !Object.is(x, runs[1][key][i]));
    assert.equal(differing, -1, `${key}[${differing}]: C ${runs[0][key][differing]} vs JS ${runs[1][key][differing]}`);
  }
});

test('PARZEN_NATIVE_KERNELS=0 runs the JS loops, and a bad value is a ConfigError naming the variable and the fix', () => {
  const kernels = new URL('../../../src/ml/kernels/native-kernels.js', import.meta.url).href;
  const code = `import(${JSON.stringify(kernels)}).then((m) => { try { console.log(String(m.nativeKernels())); } catch (e) { console.log(e.name + ' ' + e.code + ' ' + e.message); } })`;
  const run = (value: string): string => spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, PARZEN_NATIVE_KERNELS: value } }).stdout.trim();
  assert.equal(run('0'), 'null');
  assert.match(run('yes'), /^ConfigError USAGE PARZEN_NATIVE_KERNELS: expected 0 \(JS loops\) or 1 .*got 'yes'; unset it for the C kernels$/);
});
