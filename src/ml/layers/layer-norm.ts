import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { LAYER_NORM_EPSILON } from '../kernels/fused-layer-norm.js';
import { saveShared } from '../kernels/shared-save.js';

/**
 * Layer normalisation over the feature axis (Ba, Kiros & Hinton 2016), ε = 1e-5: the fused kernel pair of
 * kernels/fused-layer-norm.ts where the backend has it, else the stock ops.
 * @example layerNorm(h, block.ln1Gain, block.ln1Bias) // [B·T, C]
 */
export function layerNorm(x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor2D {
  if (!fusedKernelActive('ParzenLayerNorm')) return layerNormStock(x, gain, bias);
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, gIn, bIn, save] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    saveShared(save, [xIn, gIn]);
    return {
      value: runFused('ParzenLayerNorm', { x: xIn, gain: gIn, bias: bIn })[0],
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFused('ParzenLayerNormGrad', { dy, x: saved[0] as tf.Tensor, gain: saved[1] as tf.Tensor }),
    };
  });
  return f(x, gain, bias) as tf.Tensor2D;
}

/**
 * The stock-op form, what the fused kernels are checked against. Written as square(x - mean): tfjs'
 * SquaredDifference gradient does not reduce a broadcast operand, so `squaredDifference(x, mean)` fails.
 */
export function layerNormStock(x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor2D {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON))), gain), bias) as tf.Tensor2D;
}
