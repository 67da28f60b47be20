import * as tf from '@tensorflow/tfjs-core';

/**
 * Layer normalisation over the feature axis (Ba, Kiros & Hinton 2016), ε = 1e-5. Written as square(x - mean):
 * tfjs' SquaredDifference gradient does not reduce a broadcast operand, so `squaredDifference(x, mean)` fails.
 */
export function layerNorm(x: tf.Tensor2D, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor2D {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-5))), gain), bias) as tf.Tensor2D;
}
