import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../util/rng.js';
import type { GatLayerParams } from './params.js';
import { biasAdd } from '../../../ml/layers/bias-add.js';
import { dense, denseOfData } from '../../../ml/layers/dense.js';
import { seededDropout } from '../../../ml/layers/dropout.js';
import type { KeyedDropoutPlan } from '../../../ml/layers/keyed-dropout.js';
import { gatv2Scores } from '../../../ml/layers/gatv2-scores.js';
import { layerNorm } from '../../../ml/layers/layer-norm.js';
import { assertShape } from '../../../ml/layers/shapes.js';
import { weightedSegmentSum } from '../../../ml/layers/weighted-segment-sum.js';
import { gatherRows } from '../../../ml/kernels/gather-rows.js';
import { segmentSoftmax } from './segment.js';
import { fusedGatLayer, fusedGatLayerActive, type LayerMasks } from './fused-gat-layer.js';

/** The batch's graph structure as tensors, shared by every layer of one forward pass. */
export interface GraphTensors {
  readonly nNodes: number;
  readonly src: tf.Tensor1D;
  readonly dst: tf.Tensor1D;
  /** Host copies of `src` and `dst`, for host-side gathers and the segment-max shift. */
  readonly srcValues: Int32Array;
  readonly dstValues: Int32Array;
  /** [E, edgeInputDim]. */
  readonly edgeFeatures: tf.Tensor2D;
}

export interface LayerOptions {
  readonly numHeads: number;
  readonly dropout: number;
  readonly training: boolean;
  /** Draws dropout seeds when the batch has no `plan`; seeded, so a run repeats exactly. */
  readonly rng: Rng;
  /** Keyed dropout for a training batch with a dropout seed (GraphBatch.dropoutSeed). */
  readonly plan?: DropoutPlan;
}

/** Keyed dropout for one forward pass, rows keyed by (circuit, index): GraphBatch.nodeKeys, edgeKeys, graphKeys. */
export type DropoutPlan = KeyedDropoutPlan<'node' | 'edge' | 'graph'>;

/** Dropout over rows of `rows` (nodes, edges or circuits): keyed when the pass has a plan, else seeded. */
export function graphDropout<T extends tf.Tensor>(x: T, rows: 'node' | 'edge' | 'graph', opts: LayerOptions): T {
  if (!opts.training || opts.dropout === 0) return x;
  return opts.plan === undefined ? seededDropout(x, opts) : opts.plan.apply(x, rows, opts.dropout);
}

/**
 * Per-edge, per-head attention logits e_ij = aᵀ LeakyReLU(W_s h_j + W_t h_i + W_e x_ij) — GATv2's dynamic
 * attention (Brody, Alon & Yahav 2022, eq. 7) with the edge features x_ij added inside the nonlinearity.
 */
function attentionLogits(xSrcE: tf.Tensor2D, h: tf.Tensor2D, g: GraphTensors, p: GatLayerParams): tf.Tensor2D {
  const xDstE = gatherRows(dense(h, p.wDst as tf.Tensor2D), g.dst, g.dstValues);
  const xEdge = denseOfData(g.edgeFeatures, p.wEdge as tf.Tensor2D);
  return gatv2Scores({ src: xSrcE, dst: xDstE, edge: xEdge, attn: p.attn as tf.Tensor2D }, 0.2);
}

/**
 * One multi-head graph attention layer with residual connection and layer norm:
 * h' = LayerNorm(h + Dropout(ELU(W_o ‖_k Σ_j α^k_ij W^k_s h_j + b_o))).
 * @param h node states [N, D]
 */
export function gatLayer(h: tf.Tensor2D, g: GraphTensors, p: GatLayerParams, opts: LayerOptions): tf.Tensor2D {
  const dropping = opts.training && opts.dropout > 0;
  // The fused op applies keyed masks itself; seeded dropout (a batch without a dropout seed) keeps the composed ops.
  if (fusedGatLayerActive() && (!dropping || opts.plan !== undefined)) return fusedGatLayer(h, g, p, dropping ? layerMasks(h, g, opts) : undefined);
  return composedGatLayer(h, g, p, opts);
}

/** The keyed masks the composed layer's two dropouts would draw, in the same order (α first, then the output). */
function layerMasks(h: tf.Tensor2D, g: GraphTensors, opts: LayerOptions): LayerMasks {
  const plan = opts.plan as DropoutPlan;
  const [nNodes, D] = h.shape;
  const nEdges = g.srcValues.length;
  const edge = plan.nextMask('edge', opts.dropout, opts.numHeads);
  const node = plan.nextMask('node', opts.dropout, D);
  assertShape('edge dropout mask', edge.shape, [nEdges, opts.numHeads]);
  assertShape('node dropout mask', node.shape, [nNodes, D]);
  return { edge, node };
}

/** The layer composed of the shared kit's ops, each with its own gradient: what the fused op is checked against. */
export function composedGatLayer(h: tf.Tensor2D, g: GraphTensors, p: GatLayerParams, opts: LayerOptions): tf.Tensor2D {
  const xSrcE = gatherRows(dense(h, p.wSrc as tf.Tensor2D), g.src, g.srcValues);
  const logits = attentionLogits(xSrcE, h, g, p);
  const alpha = graphDropout(segmentSoftmax(logits, g.dst, g.dstValues, g.nNodes), 'edge', opts);
  const aggregated = weightedSegmentSum(xSrcE, alpha, g.dst, g.dstValues, g.nNodes);
  const out = graphDropout(tf.elu(biasAdd(dense(aggregated, p.wOut as tf.Tensor2D), p.bOut as tf.Tensor1D)) as tf.Tensor2D, 'node', opts);
  return layerNorm(tf.add(h, out), p.lnGain as tf.Tensor1D, p.lnBias as tf.Tensor1D);
}
