import * as tf from '@tensorflow/tfjs-core';
import { batchMatMul } from '../../../ml/kernels/matmul.js';
import { attentionCore, attentionCoreFused } from '../../../ml/layers/attention-core.js';
import { causalSoftmax } from '../../../ml/layers/causal-softmax.js';
import { biasAdd } from '../../../ml/layers/bias-add.js';
import { dense } from '../../../ml/layers/dense.js';
import { layerNorm } from '../../../ml/layers/layer-norm.js';
import { linear } from '../../../ml/layers/linear.js';
import { normProduct } from '../../../ml/layers/norm-product.js';
import { splitQkvHeads } from '../../../ml/layers/split-heads.js';
import { seededDropout } from '../../../ml/layers/dropout.js';
import type { Rng } from '../../../util/rng.js';
import type { WindowDropout } from './window-dropout.js';

/** What attention needs besides its weights: the batch layout and dropout. */
export interface AttentionOptions {
  readonly batch: number;
  readonly time: number;
  readonly nHead: number;
  readonly dropout: number;
  readonly training: boolean;
  readonly rng: Rng;
  /** Keyed masks for a training batch with a dropout seed (window-dropout.ts); absent: seeded from `rng`. */
  readonly keyed?: WindowDropout;
  /** The block's LayerNorm, applied to x first (fused into the QKV product where it can be); absent: x is normalised. */
  readonly norm?: { readonly gain: tf.Tensor1D; readonly bias: tf.Tensor1D };
}

export interface AttentionWeights {
  readonly wQkv: tf.Tensor2D;
  readonly bQkv: tf.Tensor1D;
  readonly wProj: tf.Tensor2D;
  readonly bProj: tf.Tensor1D;
}

export { causalMask } from '../../../ml/layers/causal-softmax.js';

/** [B·H, T, hd] → [B·T, C]. */
function mergeHeads(y: tf.Tensor3D, o: AttentionOptions): tf.Tensor2D {
  const hd = y.shape[2];
  return tf.reshape(tf.transpose(tf.reshape(y, [o.batch, o.nHead, o.time, hd]), [0, 2, 1, 3]), [o.batch * o.time, o.nHead * hd]);
}

/**
 * Causal multi-head self-attention (Vaswani et al. 2017, §3.2) over rows laid out [B·T, C]:
 * Q, K, V = x·W_qkv + b; per head softmax(Q·Kᵀ/√d_head + mask)·V; heads concatenated and projected.
 * Position t attends to positions ≤ t only, so a later token cannot change an earlier output.
 * @example causalSelfAttention(x, block, { batch: 12, time: 64, nHead: 4, dropout: 0.1, training: true, rng, norm: { gain: block.ln1Gain, bias: block.ln1Bias } })
 */
export function causalSelfAttention(x: tf.Tensor2D, w: AttentionWeights, o: AttentionOptions): tf.Tensor2D {
  const C = x.shape[1];
  if (attentionCoreFused() && !(o.training && o.dropout > 0)) {
    // No dropout on the weights: the whole core is one custom op (ml/layers/attention-core.ts), same maths.
    const qkvNoBias = o.norm !== undefined ? normProduct(x, o.norm.gain, o.norm.bias, w.wQkv) : linear(x, w.wQkv);
    const y = attentionCore(qkvNoBias, w.bQkv, { batch: o.batch, heads: o.nHead });
    return linear(y, w.wProj, w.bProj);
  }
  const normed = o.norm !== undefined ? layerNorm(x, o.norm.gain, o.norm.bias) : x;
  const qkv = biasAdd(dense(normed, w.wQkv), w.bQkv);
  const [q, k, v] = splitQkvHeads(qkv, { batch: o.batch, heads: o.nHead });
  const hd = C / o.nHead;
  const scores = batchMatMul(q, k, { transposeB: true });
  const probs = causalSoftmax(scores, 1 / Math.sqrt(hd));
  const att = o.keyed !== undefined ? o.keyed.apply(probs, 'head', o.dropout) : seededDropout(probs, o);
  const y = mergeHeads(batchMatMul(att, v), o);
  return biasAdd(dense(y, w.wProj), w.bProj);
}
