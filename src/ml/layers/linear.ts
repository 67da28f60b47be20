import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { nativeKernels } from '../kernels/native-kernels.js';
import { nativeMatMulActive } from '../kernels/native-matmul.js';
import { saveShared } from '../kernels/shared-save.js';
import { biasAdd } from './bias-add.js';
import { dense } from './dense.js';

/** Whether `linear` runs as one kernel each way: the kernels are registered, the products native, the C kernels on. */
export function linearFused(): boolean {
  return fusedKernelActive('ParzenLinear') && nativeMatMulActive(tf) && nativeKernels() !== null;
}

/**
 * x·w (+ b) for x [R, K], w [K, N], b [N]: one kernel forward and one backward (kernels/fused-linear.ts) where the
 * products run natively, else `dense` and `biasAdd`. Same values either way (the same sgemm calls and one float32
 * add per element); the bias gradient's sum is biasAdd's.
 * @example linear(y, w.wProj, w.bProj) // [B·T, C]
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  if (!linearFused()) return bias === undefined ? dense(x, w) : biasAdd(dense(x, w), bias);
  const attrs = { bias: bias === undefined ? 0 : 1 };
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = inputs[inputs.length - 1] as tf.GradSaveFunc;
    const [xIn, wIn] = inputs as [tf.Tensor, tf.Tensor];
    saveShared(save, [xIn, wIn]);
    const value = bias === undefined ? runFused('ParzenProduct', { x: xIn, w: wIn })[0] : runFused('ParzenLinear', { x: xIn, w: wIn, bias: inputs[2] as tf.Tensor })[0];
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFused('ParzenLinearGrad', { dy, x: saved[0] as tf.Tensor, w: saved[1] as tf.Tensor }, attrs),
    };
  });
  return (bias === undefined ? f(x, w) : f(x, w, bias)) as tf.Tensor2D;
}
