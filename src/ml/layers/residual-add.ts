import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../errors.js';
import { shareBuffer } from '../kernels/shared-save.js';

/**
 * x + f(x) for two tensors of one shape (a residual connection, He et al. 2016): one Add forward, and a backward
 * that hands dy to both inputs as it is. tfjs' own Add gradient reshapes dy for each input (two Reshape kernels an
 * add, there to undo broadcasting, which same-shape operands do not need); here each input gets a tensor over dy's
 * buffer, made without a kernel (kernels/shared-save.ts).
 * @example const h = residualAdd(x, attention(layerNorm(x, g, b)))
 */
export function residualAdd<T extends tf.Tensor>(a: T, b: T): T {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new TrainingError(`residualAdd: [${a.shape.join(', ')}] + [${b.shape.join(', ')}]: the two operands must have one shape`, { code: 'SHAPE' });
  }
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.add(inputs[0] as tf.Tensor, inputs[1] as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => [shareBuffer(dy), shareBuffer(dy)],
  }));
  return f(a, b) as T;
}
