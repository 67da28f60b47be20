/**
 * The retriever's training loss, term by term:
 * - InfoNCE (van den Oord et al. 2018) over in-batch negatives plus each query's hard negative (DPR, Karpukhin et
 *   al. 2020): logits = q·[P; N]ᵀ / τ over unit vectors, cross-entropy against the query's own positive.
 * - Isotropy: ‖Cov(z) − I‖²_F / d + ‖mean(z)‖² / d over the batch's raw head outputs (queries, positives, negatives),
 *   pulling the embedding distribution toward an isotropic standard Gaussian (per-dimension std 1, no correlation;
 *   the covariance-matching form of VICReg, Bardes et al. 2022, and of LeJEPA's isotropic-Gaussian target).
 * - A weight regulariser Σ‖W‖² over the convolution and head matrices.
 * Also the diagnostics: mean Euclidean distance of unit query vectors to their positive and hard negative, and the
 * mean per-dimension std of z.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dense } from '../../../ml/layers/dense.js';

export interface LossWeights {
  readonly temperature: number;
  readonly isotropyWeight: number;
  readonly regWeight: number;
}

export interface LossTerms {
  readonly total: tf.Scalar;
  readonly contrastive: tf.Scalar;
  readonly isotropy: tf.Scalar;
  readonly reg: tf.Scalar;
  readonly posDistance: tf.Scalar;
  readonly negDistance: tf.Scalar;
  readonly embStd: tf.Scalar;
}

/** InfoNCE of unit query vectors q [B, d] against positives p [B, d] and negatives n [B, d] (targets: row i of p). */
export function infoNce(q: tf.Tensor2D, p: tf.Tensor2D, n: tf.Tensor2D, temperature: number): tf.Scalar {
  const docs = tf.concat([p, n], 0) as tf.Tensor2D;
  const logits = tf.div(dense(q, tf.transpose(docs)), temperature) as tf.Tensor2D;
  const b = q.shape[0];
  // oneHot as int32, then cast: a float32 oneHot on wasm returns integer bit patterns.
  const target = tf.cast(tf.oneHot(tf.range(0, b, 1, 'int32') as tf.Tensor1D, 2 * b), 'float32');
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), target), 1))) as tf.Scalar;
}

/** ‖Cov(z) − I‖²_F / d + ‖mean(z)‖² / d for rows z [m, d] (unbiased covariance). */
export function isotropyPenalty(z: tf.Tensor2D): tf.Scalar {
  const [m, d] = z.shape;
  const mean = tf.mean(z, 0, true);
  const centred = tf.sub(z, mean) as tf.Tensor2D;
  const cov = tf.div(dense(tf.transpose(centred), centred), Math.max(1, m - 1));
  const off = tf.sub(cov, tf.eye(d));
  return tf.div(tf.add(tf.sum(tf.square(off)), tf.sum(tf.square(mean))), d) as tf.Scalar;
}

/** Mean over dimensions of the per-dimension standard deviation of rows z [m, d]. */
export function meanStd(z: tf.Tensor2D): tf.Scalar {
  const { variance } = tf.moments(z, 0);
  return tf.mean(tf.sqrt(variance)) as tf.Scalar;
}

/** Mean Euclidean distance between matching rows of two [B, d] tensors. */
export function meanDistance(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(a, b)), 1), 1e-12))) as tf.Scalar;
}

export function l2Sum(weights: readonly tf.Tensor[]): tf.Scalar {
  return weights.reduce<tf.Scalar>((acc, w) => tf.add(acc, tf.sum(tf.square(w))) as tf.Scalar, tf.scalar(0));
}

/** Every term of one batch; `raw` are the head outputs [queries; positives; negatives] before normalisation. */
export function retrievalLoss(e: { q: tf.Tensor2D; p: tf.Tensor2D; n: tf.Tensor2D; raw: tf.Tensor2D; regularised: readonly tf.Tensor[] }, w: LossWeights): LossTerms {
  const contrastive = infoNce(e.q, e.p, e.n, w.temperature);
  const isotropy = isotropyPenalty(e.raw);
  const reg = l2Sum(e.regularised);
  const total = tf.add(contrastive, tf.add(tf.mul(isotropy, w.isotropyWeight), tf.mul(reg, w.regWeight))) as tf.Scalar;
  return { total, contrastive, isotropy, reg, posDistance: meanDistance(e.q, e.p), negDistance: meanDistance(e.q, e.n), embStd: meanStd(e.raw) };
}
