/**
 * The retriever's training loss, term by term:
 * - InfoNCE (van den Oord et al. 2018) over in-batch negatives plus each query's hard negative (DPR, Karpukhin et
 *   al. 2020): logits = q·[P; N]ᵀ / τ over unit vectors, cross-entropy against the query's own positive.
 * - Isotropy: mean_j (std_j − 1)² + Σ_{i≠j} Cov_ij² / d over the batch's raw head outputs (queries, positives,
 *   negatives), pulling the embedding distribution toward an isotropic Gaussian (per-dimension std 1, no
 *   correlation): VICReg's variance and covariance terms (Bardes, Ponce & LeCun 2022, eqs. 1–4), with the variance
 *   hinge made two-sided so the target is std 1 exactly. The std form matters: ‖Cov − I‖² alone has a vanishing
 *   gradient at small scale (it is ∝ z), so it could not move embeddings that start small.
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

/** mean_j (std_j − 1)² + Σ_{i≠j} Cov_ij² / d for rows z [m, d] (unbiased covariance, std with ε = 1e-4 inside the root). */
export function isotropyPenalty(z: tf.Tensor2D): tf.Scalar {
  const [m, d] = z.shape;
  const centred = tf.sub(z, tf.mean(z, 0, true)) as tf.Tensor2D;
  const cov = tf.div(dense(tf.transpose(centred), centred), Math.max(1, m - 1));
  const variances = tf.sum(tf.mul(cov, tf.eye(d)), 1);
  const std = tf.sqrt(tf.add(variances, 1e-4));
  const offDiagonal = tf.mul(cov, tf.sub(1, tf.eye(d)));
  return tf.add(tf.mean(tf.square(tf.sub(std, 1))), tf.div(tf.sum(tf.square(offDiagonal)), d)) as tf.Scalar;
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
