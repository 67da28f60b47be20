import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';

/**
 * Float32 tensors filled and read on the host without a JS-side buffer per call. On wasm a tensor's values live in
 * the WebAssembly heap, so a fill can write there directly (one heap malloc, as a kernel output) and a read can be a
 * view. The JS route — a fresh Float32Array handed to `tf.tensor`, or `dataSync`, which copies out of the heap —
 * allocates an ArrayBuffer each time; V8 counts those as external memory and, past ~64 MB since the last full
 * collection, starts one ("external memory pressure"), whose concurrent marking runs on V8's helper threads. At the
 * graph network's tuned size a training step made ~14 MB of such buffers, so a full collection ran every 2–3 steps
 * and its helpers took the CPU a second replica needs (issue 17; docs/benchmarks/throughput.md, session 29).
 */

function wasmBackend(): BackendWasm | null {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as BackendWasm) : null;
}

/**
 * A new float32 tensor of `shape` whose values `fill` writes; `fill` must write every element (on wasm the buffer
 * arrives uninitialised) and must not allocate tensors (heap growth would detach the view it is given).
 * @example const mask = hostFloat32Tensor([rows, cols], (out) => fillMask(out));
 */
export function hostFloat32Tensor(shape: readonly number[], fill: (out: Float32Array) => void): tf.Tensor {
  const wasm = wasmBackend();
  const size = shape.reduce((a, b) => a * b, 1);
  if (wasm === null || size === 0) {
    const values = new Float32Array(size);
    fill(values);
    return tf.tensor(values, [...shape], 'float32');
  }
  const info = wasm.makeOutput([...shape], 'float32');
  const t = tf.engine().makeTensorFromTensorInfo(info);
  // The view is taken after the one allocation and used at once.
  fill(wasm.typedArrayFromHeap(info) as Float32Array);
  return t;
}

/**
 * A float32 tensor's values: on wasm a view of the heap (no copy: read it at once, before anything allocates a
 * tensor, and never write it), elsewhere `dataSync`'s array.
 */
export function hostFloat32View(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new TrainingError(`hostFloat32View: expected a float32 tensor, got ${t.dtype}`, { code: 'SHAPE' });
  const wasm = wasmBackend();
  if (wasm !== null) return wasm.typedArrayFromHeap(t) as Float32Array;
  return t.dataSync() as Float32Array;
}
