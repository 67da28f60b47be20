import type * as tf from '@tensorflow/tfjs-core';
import { matMul, matMulOfData } from '../kernels/matmul.js';

/**
 * x @ w with a gradient that stays on the fast path (ml/kernels/matmul.ts): tfjs' own MatMul gradient computes
 * dx = matMul(dy, w, false, true) and dw = matMul(x, dy, true, false), whose flagged forms leave XNNPACK's fast
 * path on the stock wasm kernel and run ~13× slower than an explicit transpose followed by a plain product.
 * Same maths: dx = dy·wᵀ, dw = xᵀ·dy.
 * @example dense(nodeStates, wSrc) // [N, D]
 */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return matMul(x, w);
}

/**
 * x @ w where x is input data (no variable upstream): only w gets a gradient (kernels/matmul.ts, matMulOfData).
 * @example denseOfData(edgeFeatures, wEdge) // [E, D]
 */
export function denseOfData(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return matMulOfData(x, w);
}
