import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { product } from '../kernels/matmul.js';
import { nativeKernels } from '../kernels/native-kernels.js';
import { nativeMatMulActive } from '../kernels/native-matmul.js';
import { saveShared } from '../kernels/shared-save.js';
import { causalSoftmaxStock } from './causal-softmax.js';
import { splitQkvHeadsStock } from './split-heads.js';

/** The batch layout of an attention core: `batch` sequences of rows, `heads` heads. */
export interface AttentionCoreOptions {
  readonly batch: number;
  readonly heads: number;
}

/** The kernel that says whether the fused core is registered for the current backend. */
export const ATTENTION_CORE_KERNEL = 'ParzenSplitQkvBias';

/** Whether `attentionCore` runs fused on the current backend (the kernels are registered and switched on). */
export function attentionCoreFused(): boolean {
  return fusedKernelActive(ATTENTION_CORE_KERNEL);
}

/**
 * Causal multi-head attention from the packed projection (Vaswani et al. 2017, §3.2), without dropout on the weights:
 * Q, K, V = split(qkv + b) per (sequence, head); y = merge(softmax(Q·Kᵀ/√hd + causal mask)·V), rows [B·T, C].
 * One custom op over the fused kernels (kernels/fused-attention-heads.ts, fused-causal-softmax.ts) and the fast
 * products, with its gradient written out: 5 kernels forward and 7 backward in place of 9 and 13 (and the tensors
 * it keeps for the backward are saved without Identity kernels). The products and the softmax are the calls the
 * unfused layers make, so the values are theirs; the bias gradient's sum runs in another order.
 * Backward, with P the weights and dY the merged gradient split into heads:
 *   dP = dY·Vᵀ, dV = Pᵀ·dY, dS = softmax'(dP), dQ = dS·K, dK = dSᵀ·Q.
 * @example attentionCore(dense(ln1(x), w.wQkv), w.bQkv, { batch: 12, heads: 4 }) // [B·T, C]
 */
export function attentionCore(qkv: tf.Tensor2D, bias: tf.Tensor1D, o: AttentionCoreOptions): tf.Tensor2D {
  if (!attentionCoreFused()) return attentionCoreStock(qkv, bias, o);
  const attrs = { batch: o.batch, heads: o.heads };
  const scale = 1 / Math.sqrt(qkv.shape[1] / 3 / o.heads);
  if (oneKernelCore()) return attentionCoreInOneKernel(qkv, bias, { ...attrs, scale });
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [qkvIn, biasIn, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [q, k, v] = runFused('ParzenSplitQkvBias', { qkv: qkvIn, bias: biasIn }, attrs);
    const p = runFused('ParzenCausalSoftmax', { scores: product(q, k, false, true) }, { scale })[0];
    saveShared(save, [q, k, v, p]);
    return {
      value: runFused('ParzenMergeHeads', { heads: product(p, v, false, false) }, attrs)[0],
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sp] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const dyHeads = runFused('ParzenSplitRows', { rows: dy }, attrs)[0];
        const dv = product(sp, dyHeads, true, false);
        const ds = runFused('ParzenCausalSoftmaxGrad', { dp: product(dyHeads, sv, false, true), p: sp }, { scale })[0];
        return runFused('ParzenPackQkvGrad', { dq: product(ds, sk, false, false), dk: product(ds, sq, true, false), dv }, attrs);
      },
    };
  });
  return f(qkv, bias) as tf.Tensor2D;
}

/**
 * With native products the five kernels forward and seven backward run inside one kernel each way
 * (kernels/fused-attention-core.ts): the same calls in the same order, so the same values.
 */
function oneKernelCore(): boolean {
  return fusedKernelActive('ParzenAttentionCore') && nativeMatMulActive(tf) && nativeKernels() !== null;
}

function attentionCoreInOneKernel(qkv: tf.Tensor2D, bias: tf.Tensor1D, attrs: { batch: number; heads: number; scale: number }): tf.Tensor2D {
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [qkvIn, biasIn, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, q, k, v, p] = runFused('ParzenAttentionCore', { qkv: qkvIn, bias: biasIn }, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    saveShared(save, [q, k, v, p]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sp] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return runFused('ParzenAttentionCoreGrad', { dy, q: sq, k: sk, v: sv, p: sp }, attrs);
      },
    };
  });
  return f(qkv, bias) as tf.Tensor2D;
}

/** The stock-op form, what the fused core is checked against. */
export function attentionCoreStock(qkv: tf.Tensor2D, bias: tf.Tensor1D, o: AttentionCoreOptions): tf.Tensor2D {
  const [q, k, v] = splitQkvHeadsStock(tf.add(qkv, bias) as tf.Tensor2D, o);
  const [BH, T, hd] = q.shape;
  const probs = causalSoftmaxStock(tf.matMul(q, k, false, true), 1 / Math.sqrt(hd));
  const y = tf.reshape(tf.matMul(probs, v), [BH / o.heads, o.heads, T, hd]);
  return tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [(BH / o.heads) * T, o.heads * hd]);
}
