import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { saveShared } from '../kernels/shared-save.js';

/**
 * GELU(x + b) over rows x [R, C] and a bias [C], exact form ½u(1 + erf(u/√2)) as PyTorch's nn.GELU: the fused
 * kernel pair of kernels/fused-gelu.ts where the backend has it, else the stock ops.
 * @example biasGelu(dense(ln2(h), block.wFc), block.bFc) // [B·T, 4C]
 */
export function biasGelu(x: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  if (!fusedKernelActive('ParzenBiasGelu')) return biasGeluStock(x, bias);
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, bIn, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, slope] = runFused('ParzenBiasGelu', { x: xIn, bias: bIn }) as [tf.Tensor, tf.Tensor];
    saveShared(save, [slope]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFused('ParzenBiasGeluGrad', { dy, slope: saved[0] as tf.Tensor }),
    };
  });
  return f(x, bias) as tf.Tensor2D;
}

/** The stock-op form (Hendrycks & Gimpel 2016), what the fused kernels are checked against. */
export function biasGeluStock(x: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const u = tf.add(x, bias);
  return tf.mul(tf.mul(u, 0.5), tf.add(tf.erf(tf.mul(u, Math.SQRT1_2)), 1)) as tf.Tensor2D;
}
