import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../errors.js';
import { nativeMatMulActive } from './native-matmul.js';
import { saveShared } from './shared-save.js';

/**
 * Matrix products that stay on a fast path on every backend, with gradients that do too.
 *
 * On the stock wasm kernel a BatchMatMul with a transpose flag or a batch dimension leaves XNNPACK's fast path
 * (measured ~2 vs ~20 GFLOP/s; [1000,384]ᵀ·[1000,384] 154 ms vs 11 ms of CPU), so there transposes are written
 * out and batched products run as one plain 2-D product per slice. With the native addon (native-matmul.ts)
 * flags and batches cost nothing, so the flagged product is handed to it as is.
 */

/** Whether a factor is used transposed. */
export interface MatMulOptions {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

const swap2 = (x: tf.Tensor): tf.Tensor => (x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [0, 2, 1]));

/**
 * Plain 2-D products of matching slices: out[i] = a[i] · b[i]. The slices are cut and the results gathered on
 * the host (wasm tensors live in host memory, so this is a memcpy): tfjs' Unpack/Stack kernels on wasm cost as
 * much as the products themselves at attention sizes.
 */
function perSlice(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [n, m, k] = a.shape;
  const cols = b.shape[2];
  const av = a.dataSync() as Float32Array;
  const bv = b.dataSync() as Float32Array;
  const out = new Float32Array(n * m * cols);
  for (let i = 0; i < n; i++) {
    tf.tidy(() => {
      const ai = tf.tensor2d(av.subarray(i * m * k, (i + 1) * m * k), [m, k]);
      const bi = tf.tensor2d(bv.subarray(i * k * cols, (i + 1) * k * cols), [k, cols]);
      out.set(tf.matMul(ai, bi).dataSync() as Float32Array, i * m * cols);
    });
  }
  return tf.tensor3d(out, [n, m, cols]);
}

/**
 * op(x) · op(y) on the fastest path the current kernel offers (no gradient of its own: callers supply one, as the
 * fused graph-attention layer's hand-written backward and the fused attention core do, layers/attention-core.ts).
 */
export function product(x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean): tf.Tensor {
  if (nativeMatMulActive(tf)) return tf.matMul(x, y, tx, ty);
  const a = tx ? swap2(x) : x;
  const b = ty ? swap2(y) : y;
  return a.rank === 2 ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D) : perSlice(a as tf.Tensor3D, b as tf.Tensor3D);
}

function checkShapes(name: string, a: tf.Tensor, b: tf.Tensor, o: MatMulOptions, rank: 2 | 3): void {
  const r = rank - 1;
  const kA = o.transposeA === true ? a.shape[r - 1] : a.shape[r];
  const kB = o.transposeB === true ? b.shape[r] : b.shape[r - 1];
  const batchOk = rank === 2 || a.shape[0] === b.shape[0];
  if (a.rank !== rank || b.rank !== rank || kA !== kB || !batchOk) {
    const t = (f: boolean | undefined): string => (f === true ? 'ᵀ' : '');
    throw new TrainingError(
      `${name}: [${a.shape.join(', ')}]${t(o.transposeA)} × [${b.shape.join(', ')}]${t(o.transposeB)}: ` +
        `needs rank-${rank} factors with matching ${rank === 3 ? 'batch and ' : ''}inner dimensions`,
      { code: 'SHAPE' },
    );
  }
}

/**
 * The gradient of C = op(A)·op(B) for each combination of flags (as TensorFlow's MatMul gradient), every
 * product again on the fast path.
 */
function gradients(dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): [tf.Tensor, tf.Tensor] {
  return [gradientOfA(dy, b, tA, tB), gradientOfB(dy, a, tA, tB)];
}

function gradientOfA(dy: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): tf.Tensor {
  if (!tA) return product(dy, b, false, !tB);
  return tB ? product(b, dy, true, true) : product(b, dy, false, true);
}

function gradientOfB(dy: tf.Tensor, a: tf.Tensor, tA: boolean, tB: boolean): tf.Tensor {
  if (!tB) return product(a, dy, !tA, false);
  return tA ? product(dy, a, true, true) : product(dy, a, true, false);
}

function withGradient<T extends tf.Tensor>(a: T, b: T, o: MatMulOptions): T {
  const tA = o.transposeA === true;
  const tB = o.transposeB === true;
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [aIn, bIn, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    saveShared(save, [aIn, bIn]);
    return {
      value: product(aIn, bIn, tA, tB),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gradients(dy, saved[0] as tf.Tensor, saved[1] as tf.Tensor, tA, tB),
    };
  });
  return f(a, b) as T;
}

/**
 * op(a) · op(b) where `a` is data (a batch's input features), not a function of any variable: the gradient is
 * computed for `b` only. A custom gradient computes every input's gradient whether or not one is needed, so
 * `matMul` on input data spends one product per step on a gradient nothing reads ([5096, 384]·[7, 384]ᵀ per GAT
 * layer). A gradient that should flow to `a` is silently dropped here: use it for data only.
 * @example matMulOfData(edgeFeatures, wEdge) // [E, D]
 */
export function matMulOfData(a: tf.Tensor2D, b: tf.Tensor2D, o: MatMulOptions = {}): tf.Tensor2D {
  checkShapes('matMul', a, b, o, 2);
  const tA = o.transposeA === true;
  const tB = o.transposeB === true;
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [bIn, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    // `a` is saved too: it is no input of this function, and the engine keeps only what is saved for the backward.
    saveShared(save, [a, bIn]);
    return {
      value: product(a, bIn, tA, tB),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [gradientOfB(dy, saved[0] as tf.Tensor, tA, tB)],
    };
  });
  return f(b) as tf.Tensor2D;
}

/**
 * op(a) · op(b) for 2-D factors, values and gradients on the fast path.
 * @example matMul(xf, wte, { transposeB: true }) // tied output head [B·T, V]
 */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, o: MatMulOptions = {}): tf.Tensor2D {
  checkShapes('matMul', a, b, o, 2);
  return withGradient(a, b, o);
}

/**
 * op(a[i]) · op(b[i]) for every i of two [N, ·, ·] tensors → [N, m, n], values and gradients on the fast path.
 * @example batchMatMul(q, k, { transposeB: true }) // [B·H, T, T] attention scores
 */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D, o: MatMulOptions = {}): tf.Tensor3D {
  checkShapes('batchMatMul', a, b, o, 3);
  return withGradient(a, b, o);
}
