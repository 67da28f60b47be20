import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelActive, runFused } from '../kernels/fused.js';
import { saveShared } from '../kernels/shared-save.js';

/** The three per-edge projections GATv2 scores, each [E, H·hd], and the attention vector a [H, hd]. */
export interface Gatv2Inputs {
  readonly src: tf.Tensor2D;
  readonly dst: tf.Tensor2D;
  readonly edge: tf.Tensor2D;
  readonly attn: tf.Tensor2D;
}

/**
 * Attention logits [E, H] = Σ_d a[h, d]·LeakyReLU(src + dst + edge) per edge and head (GATv2, Brody et al. 2022,
 * eq. 7): the fused kernel pair of kernels/fused-gatv2-scores.ts where the backend has it, else the stock ops.
 * @example gatv2Scores({ src: xSrcE, dst: xDstE, edge: xEdge, attn: p.attn }, 0.2)
 */
export function gatv2Scores(x: Gatv2Inputs, slope: number): tf.Tensor2D {
  if (!fusedKernelActive('ParzenGatv2Scores')) return gatv2ScoresStock(x, slope);
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [src, dst, edge, attn, save] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    saveShared(save, [src, dst, edge, attn]);
    return {
      value: runFused('ParzenGatv2Scores', { src, dst, edge, attn }, { slope })[0],
      gradFunc: (dScores: tf.Tensor, saved: tf.Tensor[]) => {
        const [s, d, e, a] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const [dz, dAttn] = runFused('ParzenGatv2ScoresGrad', { dScores, src: s, dst: d, edge: e, attn: a }, { slope }) as [tf.Tensor, tf.Tensor];
        // The three inputs enter as a sum, so each receives the same gradient (shared buffer, one more reference).
        return [dz, tf.clone(dz), tf.clone(dz), dAttn];
      },
    };
  });
  return f(x.src, x.dst, x.edge, x.attn) as tf.Tensor2D;
}

/** The stock-op form, what the fused kernels are checked against. */
export function gatv2ScoresStock(x: Gatv2Inputs, slope: number): tf.Tensor2D {
  const [E] = x.src.shape;
  const [H, hd] = x.attn.shape;
  const z = tf.leakyRelu(tf.add(tf.add(x.src, x.dst), x.edge), slope).reshape([E, H, hd]);
  return tf.sum(tf.mul(z, x.attn), -1) as tf.Tensor2D;
}
