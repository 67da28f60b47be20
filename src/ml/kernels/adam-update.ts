import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../backend-choice.js';

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

/** How many updates wrote the weights in place, and how many first had to give a shared buffer its own copy. */
export const adamUpdateCounts = { inPlace: 0, copied: 0 };

/**
 * Adam (Kingma & Ba 2015, §2 "efficient" ordering) with decoupled decay applied to one variable in place on the
 * wasm heap, in one fused pass and with no tensor allocated: m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
 * w ← w − stepSize · m / (√v + ε) − decay · w. The moments live in host Float32Arrays. The tf-op version
 * (ml/adam.ts) allocates ~10 tensors per variable per step, each one kernel call of ~35 µs of overhead.
 *
 * tfjs treats tensors as immutable and lets several tensors share one buffer (clone, reshape, a variable
 * assigned from a tensor that is still alive): when the variable's buffer has another holder, the variable is
 * first given a copy of its own, so no other tensor ever sees the update. Returns false (nothing done) when the
 * backend is not wasm or the dtypes are not float32; the caller then uses tf ops.
 */
export function adamUpdateInPlace(tf: Tf, variable: Variable, grad: Tensor, moments: HostMoments, s: AdamStep): boolean {
  if (tf.getBackend() !== 'wasm' || variable.dtype !== 'float32' || grad.dtype !== 'float32') return false;
  const backend = tf.backend() as unknown as BackendWasm;
  if (backend.refCount(variable.dataId) > 1) {
    const own = tf.tensor(variable.dataSync(), variable.shape, 'float32');
    variable.assign(own);
    own.dispose();
    adamUpdateCounts.copied += 1;
  } else {
    adamUpdateCounts.inPlace += 1;
  }
  // Views are taken after the last allocation above; the loop below allocates nothing, so the heap cannot grow under them.
  const w = backend.typedArrayFromHeap(variable) as Float32Array;
  const g = backend.typedArrayFromHeap(grad) as Float32Array;
  const { m, v } = moments;
  const { beta1, beta2, epsilon, stepSize, decay } = s;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const wi = w[i];
    w[i] = wi - (stepSize * m[i]) / (Math.sqrt(v[i]) + epsilon) - decay * wi;
  }
  return true;
}
