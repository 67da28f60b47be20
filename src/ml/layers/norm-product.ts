import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { matMul } from '../kernels/matmul.js';
import { nativeKernels } from '../kernels/native-kernels.js';
import { nativeMatMulActive } from '../kernels/native-matmul.js';
import { saveShared } from '../kernels/shared-save.js';
import { layerNorm } from './layer-norm.js';

/** Whether `normProduct` runs as one kernel each way: registered, products native, the C kernels on. */
export function normProductFused(): boolean {
  return fusedKernelActive('ParzenNormProduct') && nativeMatMulActive(tf) && nativeKernels() !== null;
}

/**
 * LayerNorm(x; gain, bias) · op(w), x [R, K], w [K, N] (or [N, K] with `transposeW`): one kernel forward and one
 * backward (kernels/fused-norm-product.ts) where products are native, else `layerNorm` then `matMul`. Same values.
 * @example normProduct(x, block.ln1Gain, block.ln1Bias, block.wQkv) // [B·T, 3C]
 */
export function normProduct(x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D, w: tf.Tensor2D, o: { transposeW?: boolean } = {}): tf.Tensor2D {
  if (!normProductFused()) return matMul(layerNorm(x, gain, bias), w, { transposeB: o.transposeW === true });
  const attrs = { transposeW: o.transposeW === true ? 1 : 0 };
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, gIn, bIn, wIn, save] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, normed] = runFused('ParzenNormProduct', { x: xIn, gain: gIn, bias: bIn, w: wIn }, attrs) as [tf.Tensor, tf.Tensor];
    saveShared(save, [xIn, normed, gIn, wIn]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sNormed, sGain, sw] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return runFused('ParzenNormProductGrad', { dy, x: sx, normed: sNormed, gain: sGain, w: sw }, attrs);
      },
    };
  });
  return f(x, gain, bias, w) as tf.Tensor2D;
}
