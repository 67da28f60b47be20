import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { shareBuffer } from '../kernels/shared-save.js';

/**
 * x [R, C] + b [C] with the bias gradient as one column-sum kernel (kernels/fused-column-sum.ts) where the backend
 * has it, else tfjs' Add and its gradient (a Sum over the rows). The sum itself is the host loop of
 * kernels/fused-bias-add.ts (wasm's broadcasting Add is ~10× slower), dx is dy's buffer shared (no kernel).
 * @example biasAdd(dense(x, w.wQkv), w.bQkv) // [B·T, 3C]
 */
export function biasAdd(x: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  if (!fusedKernelActive('ParzenColumnSum')) return tf.add(x, bias) as tf.Tensor2D;
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: fusedKernelActive('ParzenBiasAdd') ? runFused('ParzenBiasAdd', { x: inputs[0] as tf.Tensor, bias: inputs[1] as tf.Tensor })[0] : tf.add(inputs[0] as tf.Tensor, inputs[1] as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => [shareBuffer(dy), runFused('ParzenColumnSum', { dy })[0]],
  }));
  return f(x, bias) as tf.Tensor2D;
}
