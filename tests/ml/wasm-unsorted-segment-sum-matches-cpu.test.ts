import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '../../src/ml/backend.js';
import { Rng } from '../../src/util/rng.js';

/** Evaluate `f` on the cpu backend and on wasm (with the shim) from the same plain inputs. */
async function onBoth(f: (tf: Tf) => Tensor): Promise<{ cpu: Float32Array; wasm: Float32Array; shape: number[] }> {
  const cpuRt = await initBackend('cpu');
  const c = cpuRt.tf.tidy(() => f(cpuRt.tf));
  const cpu = (await c.data()) as Float32Array;
  c.dispose();
  const wasmRt = await initBackend('wasm');
  assert.equal(wasmRt.tf.getBackend(), 'wasm');
  const w = wasmRt.tf.tidy(() => f(wasmRt.tf));
  const wasm = (await w.data()) as Float32Array;
  const shape = [...w.shape];
  w.dispose();
  return { cpu, wasm, shape };
}

function assertClose(a: Float32Array, b: Float32Array): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * (1 + Math.abs(a[i])), `element ${i}: ${a[i]} vs ${b[i]}`);
}

const rng = new Rng(11);
const x = Array.from({ length: 7 * 3 }, () => rng.normal());
const ids = [2, 0, 2, -1, 4, 0, 1];

test('the wasm UnsortedSegmentSum kernel is registered by initBackend', async () => {
  const { tf } = await initBackend('wasm');
  assert.notEqual(tf.getKernel('UnsortedSegmentSum', 'wasm'), undefined);
});

test('forward segment sums over rows match cpu, dropping negative ids', async () => {
  const r = await onBoth((tf) => tf.unsortedSegmentSum(tf.tensor2d(x, [7, 3]), tf.tensor1d(ids, 'int32'), 6));
  assert.deepEqual(r.shape, [6, 3]);
  assertClose(r.cpu, r.wasm);
  assert.deepEqual(Array.from(r.wasm.subarray(9, 12)), [0, 0, 0]); // segment 3 has no rows
});

test('2-D segment ids follow TensorFlow: the same as flattening the id dimensions', async () => {
  // The cpu backend sums only over axis 0 for rank-2 ids, so the reference here is its 1-D result on the
  // flattened input, which is TensorFlow's definition (output shape [numSegments, ...x.shape[ids.rank:]]).
  const ids2 = [0, 1, 1, 0, 2, 2];
  const flat = await onBoth((tf) => tf.unsortedSegmentSum(tf.tensor2d(x.slice(0, 18), [6, 3]), tf.tensor1d(ids2, 'int32'), 3));
  const { tf } = await initBackend('wasm');
  const nd = tf.engine().runKernel('UnsortedSegmentSum', { x: tf.tensor3d(x.slice(0, 18), [2, 3, 3]), segmentIds: tf.tensor2d(ids2, [2, 3], 'int32') }, { numSegments: 3 }) as Tensor;
  assert.deepEqual(nd.shape, [3, 3]);
  assertClose(flat.cpu, (await nd.data()) as Float32Array);
});

test('the gradient of a gather (which scatters through UnsortedSegmentSum) matches cpu', async () => {
  const idx = [0, 3, 3, 6, 1, 3];
  const r = await onBoth((tf) => {
    const g = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.square(tf.gather(t, tf.tensor1d(idx, 'int32'))), tf.range(1, 4))));
    return g(tf.tensor2d(x, [7, 3]));
  });
  assert.deepEqual(r.shape, [7, 3]);
  assertClose(r.cpu, r.wasm);
});

test('the gradient through a gather → segment-sum message pass matches cpu', async () => {
  const src = [0, 1, 2, 3, 4, 5, 6, 0];
  const dst = [1, 2, 0, 0, 6, 5, 3, 4];
  const r = await onBoth((tf) => {
    const g = tf.grad((h: Tensor) => {
      const msg = tf.leakyRelu(tf.gather(h, tf.tensor1d(src, 'int32')), 0.2);
      return tf.sum(tf.elu(tf.unsortedSegmentSum(msg, tf.tensor1d(dst, 'int32'), 7)));
    });
    return g(tf.tensor2d(x, [7, 3]));
  });
  assertClose(r.cpu, r.wasm);
});

test('a segment id beyond numSegments throws instead of writing out of bounds', async () => {
  const { tf } = await initBackend('wasm');
  assert.throws(() => tf.unsortedSegmentSum(tf.tensor2d(x, [7, 3]), tf.tensor1d(ids, 'int32'), 4), /segmentIds\[4\] = 4 is out of range \[0, 4\)/);
});
