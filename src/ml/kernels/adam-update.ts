import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../backend-choice.js';
import { nativeKernels } from './native-kernels.js';

/** One Adam step's scalars: the bias-corrected step size and the decoupled decay factor lr·λ (0: none). */
export interface AdamStep {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly stepSize: number;
  readonly decay: number;
}

/** Host-side moments of one variable: Adam's first and second moment, as long as the variable. */
export interface HostMoments {
  readonly m: Float32Array;
  readonly v: Float32Array;
}

/** Fused updates done so far in this thread (tests check the fused path is the one taken). */
export const adamUpdateCounts = { fused: 0 };

/** The arrays of one fused Adam pass, all of one length: `out` may be `w` itself (an update in place). */
export interface AdamArrays {
  readonly w: Float32Array;
  readonly g: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly out: Float32Array;
}

/**
 * The fused AdamW arithmetic over host arrays, shared by the per-variable update below and the data-parallel
 * sharded one (data-parallel/sharded-adam.ts), so both give the same bits: the gradient used is fround(g·gradScale)
 * (what tf.mul by a float32 clip scale gives). gradScale 1 runs a loop without the product (fround(g·1) = g: the
 * same bits, and a multiply and a rounding less per element in the common unclipped step).
 */
export function adamKernel(a: AdamArrays, s: AdamStep, gradScale: number): void {
  const { w, g, m, v, out } = a;
  const { beta1, beta2, epsilon, stepSize, decay } = s;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const native = nativeKernels();
  if (native !== null) {
    // A clipped step scales the gradient into a scratch array first (the same fround(g·gradScale) the JS loop
    // uses), then runs the C loop: 1.6–2× faster than the JS loop with the product (the data-parallel sharded
    // update clips nearly every step at the optimizer's clip_norm 1).
    const grad = gradScale === 1 ? g : scaledInto(scratch(g.length), g, gradScale);
    native.adamUpdate(w, grad, m, v, out, w.length, beta1, beta2, epsilon, stepSize, decay);
    return;
  }
  if (gradScale === 1) {
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      m[i] = beta1 * m[i] + c1 * gi;
      v[i] = beta2 * v[i] + c2 * gi * gi;
      const wi = w[i];
      out[i] = wi - (stepSize * m[i]) / (Math.sqrt(v[i]) + epsilon) - decay * wi;
    }
    return;
  }
  for (let i = 0; i < w.length; i++) {
    const gi = Math.fround(g[i] * gradScale);
    m[i] = beta1 * m[i] + c1 * gi;
    v[i] = beta2 * v[i] + c2 * gi * gi;
    const wi = w[i];
    out[i] = wi - (stepSize * m[i]) / (Math.sqrt(v[i]) + epsilon) - decay * wi;
  }
}

/** This thread's scratch for clipped gradients, grown to the largest range seen (allocated once, not per step). */
let scratchArray = new Float32Array(0);

function scratch(n: number): Float32Array {
  if (scratchArray.length < n) scratchArray = new Float32Array(n);
  return scratchArray.subarray(0, n);
}

function scaledInto(out: Float32Array, g: Float32Array, gradScale: number): Float32Array {
  for (let i = 0; i < g.length; i++) out[i] = g[i] * gradScale;
  return out;
}

/**
 * Adam (Kingma & Ba 2015, §2 "efficient" ordering) with decoupled decay for one variable on the wasm backend, in one
 * fused pass that runs no kernel: m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; w' = w − stepSize · m / (√v + ε) − decay · w.
 * The moments are host Float32Arrays updated in place. The tf-op version (ml/adam.ts) runs ~10 kernels per variable
 * per step, each allocating an output and costing ~35 µs of dispatch.
 *
 * The new weights go to a fresh buffer that the variable is then assigned, not over the old one: tfjs tensors are
 * immutable, and the wasm backend relies on it — XNNPACK caches a matrix product's packed right-hand operand by
 * tensor id until that tensor is disposed, so weights rewritten in place would be multiplied stale (measured: the
 * loss went wrong from the second step on the stock matmul kernel). One buffer per variable per step is allocated
 * (a heap malloc, as one kernel output), none for intermediates.
 * Returns false (nothing done) off wasm or for non-float32 tensors; the caller then uses tf ops.
 */
export function adamUpdateFused(tf: Tf, variable: Variable, grad: Tensor, moments: HostMoments, s: AdamStep): boolean {
  if (tf.getBackend() !== 'wasm' || variable.dtype !== 'float32' || grad.dtype !== 'float32') return false;
  const backend = tf.backend() as unknown as BackendWasm;
  const info = backend.makeOutput([...variable.shape], 'float32');
  const next = tf.engine().makeTensorFromTensorInfo(info);
  // Views are taken after the one allocation; the loop allocates nothing, so the heap cannot grow under them.
  const out = backend.typedArrayFromHeap(info) as Float32Array;
  const w = backend.typedArrayFromHeap(variable) as Float32Array;
  const g = backend.typedArrayFromHeap(grad) as Float32Array;
  adamKernel({ w, g, m: moments.m, v: moments.v, out }, s, 1);
  variable.assign(next);
  next.dispose();
  adamUpdateCounts.fused += 1;
  return true;
}
