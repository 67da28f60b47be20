import * as tf from '@tensorflow/tfjs-core';
import { product } from '../../../ml/kernels/matmul.js';
import { saveShared } from '../../../ml/kernels/shared-save.js';
import type { GatParams } from './params.js';

/**
 * The GAT's head MLP and its training loss as one custom op with a hand-written gradient (gat-model.ts composes
 * them from ~17 taped ops, each with its saved-tensor clones): pooled [B, P] → ReLU(·W1 + b1) → dropout → ReLU(·W2 +
 * b2) → dropout → ·W3 + b3 = pred [B, 2k]; loss = mean((pred − target)²[:, :k]) + mean((pred − target)²[:, k:]).
 *
 * The backward runs the ops tfjs' own gradients run, with the same operands, so the loss and every gradient are
 * the composed form's bits (tests/subsystems/optimizer/model/fused-gat-layer-matches-the-composed-layer.test.ts):
 * Mean's dy·1 / (B·k) on each half (one tensor here: the halves are the same size), SquaredDifference's dy·(2·(a −
 * b)), Add's bias gradient as a Sum over rows, ReLU's dy·step(x), and the products on the fast path
 * (ml/kernels/matmul.ts). The weights are variables, read by the backward from the parameters.
 */

/** The head's weights (GatParams' wHead*, bHead*). */
export type HeadParams = Pick<GatParams, 'wHead1' | 'bHead1' | 'wHead2' | 'bHead2' | 'wHead3' | 'bHead3'>;

/** Keyed dropout masks (0 or 1 / (1 − rate)) for the two hidden layers' outputs [B, D]; absent without dropout. */
export type HeadMasks = readonly [tf.Tensor2D, tf.Tensor2D];

interface Saved {
  readonly pooled: tf.Tensor;
  readonly pre1: tf.Tensor;
  readonly h1: tf.Tensor;
  readonly pre2: tf.Tensor;
  readonly h2: tf.Tensor;
  readonly diff: tf.Tensor;
  readonly masks?: readonly [tf.Tensor, tf.Tensor];
}

function forward(pooled: tf.Tensor, target: tf.Tensor, p: HeadParams, masks: HeadMasks | undefined): { loss: tf.Tensor; saved: Saved } {
  const pre1 = tf.add(product(pooled, p.wHead1, false, false), p.bHead1);
  const r1 = tf.relu(pre1);
  const h1 = masks === undefined ? r1 : tf.mul(r1, masks[0]);
  const pre2 = tf.add(product(h1, p.wHead2, false, false), p.bHead2);
  const r2 = tf.relu(pre2);
  const h2 = masks === undefined ? r2 : tf.mul(r2, masks[1]);
  const pred = tf.add(product(h2, p.wHead3, false, false), p.bHead3);
  const sq = tf.squaredDifference(pred, target);
  const half = (pred.shape[1] as number) / 2;
  const loss = tf.add(tf.mean(tf.slice(sq, [0, 0], [-1, half])), tf.mean(tf.slice(sq, [0, half], [-1, -1])));
  return { loss, saved: { pooled, pre1, h1, pre2, h2, diff: tf.sub(pred, target), ...(masks === undefined ? {} : { masks }) } };
}

/** dy through one hidden layer's dropout and ReLU (tfjs' Multiply and Relu gradients). */
function hiddenGrad(dh: tf.Tensor, pre: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor {
  const dr = mask === undefined ? dh : tf.mul(dh, mask);
  return tf.mul(dr, tf.cast(tf.step(pre), 'float32'));
}

/** Gradients in `fusedHeadLoss`'s input order: pooled, then W1, b1, W2, b2, W3, b3. */
function backward(dy: tf.Tensor, s: Saved, p: HeadParams): tf.Tensor[] {
  const [B, outputs] = s.diff.shape;
  const dSq = tf.div(tf.mul(tf.reshape(dy, [1, 1]), tf.ones([B, outputs], 'float32')), B * (outputs / 2));
  const dPred = tf.mul(dSq, tf.mul(tf.scalar(2), s.diff));
  const dPre2 = hiddenGrad(product(dPred, p.wHead3, false, true), s.pre2, s.masks?.[1]);
  const dPre1 = hiddenGrad(product(dPre2, p.wHead2, false, true), s.pre1, s.masks?.[0]);
  return [
    product(dPre1, p.wHead1, false, true),
    product(s.pooled, dPre1, true, false), tf.sum(dPre1, 0),
    product(s.h1, dPre2, true, false), tf.sum(dPre2, 0),
    product(s.h2, dPred, true, false), tf.sum(dPred, 0),
  ];
}

/**
 * The training loss of the head over `pooled` [B, P] against `target` [B, 2k] (see above) as one op; `masks` are
 * the keyed dropout masks of a training pass with dropout. The weights must be the model's variables.
 * @example fusedHeadLoss(pooled, target, params, undefined) // scalar
 */
export function fusedHeadLoss(pooled: tf.Tensor2D, target: tf.Tensor2D, p: HeadParams, masks: HeadMasks | undefined): tf.Scalar {
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = inputs[inputs.length - 1] as tf.GradSaveFunc;
    const { loss, saved } = forward(inputs[0] as tf.Tensor, target, p, masks);
    const list = [saved.pooled, saved.pre1, saved.h1, saved.pre2, saved.h2, saved.diff, ...(saved.masks ?? [])];
    saveShared(save, list);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, l: tf.Tensor[]) => {
        const [pl, pre1, h1, pre2, h2, diff, m0, m1] = l as tf.Tensor[];
        const s: Saved = { pooled: pl, pre1, h1, pre2, h2, diff, ...(m0 === undefined || m1 === undefined ? {} : { masks: [m0, m1] as const }) };
        return backward(dy, s, p);
      },
    };
  });
  return f(pooled, p.wHead1, p.bHead1, p.wHead2, p.bHead2, p.wHead3, p.bHead3) as tf.Scalar;
}
