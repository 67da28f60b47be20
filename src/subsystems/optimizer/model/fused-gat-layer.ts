import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../../errors.js';
import { fusedKernelActive, runFused } from '../../../ml/kernels/fused.js';
import { product } from '../../../ml/kernels/matmul.js';
import { saveShared } from '../../../ml/kernels/shared-save.js';
import type { GatLayerParams } from './params.js';

/**
 * One graph-attention layer (gat-layer.ts: projections, GATv2 scores, segment softmax, α-weighted segment sum,
 * output projection, ELU, residual, layer norm) as a single custom op with a hand-written gradient that calls the
 * fused kernels and the matrix products directly.
 *
 * Why: composed from ~20 ops, each a tape node with its own saved-tensor clones (an Identity kernel and a tape
 * node apiece: 31 a layer), a layer cost 82 kernel dispatches per training step, ~35 µs each, and a data-parallel
 * replica pays that fixed cost whatever the size of its share. Here the inner ops run with the tape off (inside the
 * custom op), the backward is one function with no gradient accumulation by the engine, and 11 tensors are saved
 * (14 with dropout). The weights are variables, so the backward reads them from the parameters, not from clones.
 *
 * Same arithmetic as the composed layer, in the same order: each product with the same operands and flags, the
 * dropout masks the keyed plan draws (ml/layers/keyed-dropout.ts, same op order: α, then the node states), and
 * the gradients of h and of the gathered source projection summed in the order tfjs' backprop adds them (the
 * residual first, then the destination projection, then the source projection; the aggregation before the
 * scores), so the two forms agree bit for bit (tests/subsystems/optimizer/model/fused-gat-layer-*.test.ts).
 */

/** The batch's graph as tensors (GraphTensors of gat-layer.ts has these fields). */
export interface FusedLayerGraph {
  readonly nNodes: number;
  readonly src: tf.Tensor1D;
  readonly dst: tf.Tensor1D;
  readonly edgeFeatures: tf.Tensor2D;
}

/** Dropout masks (0 or 1 / (1 − rate)) for α [E, H] and for the layer's output [N, D]; absent without dropout. */
export interface LayerMasks {
  readonly edge: tf.Tensor2D;
  readonly node: tf.Tensor2D;
}

const LEAKY_SLOPE = 0.2;
const KERNELS = ['ParzenGatherRows', 'ParzenGatv2Scores', 'ParzenSegmentSoftmax', 'ParzenWeightedSegmentSum', 'ParzenLayerNorm', 'ParzenColumnSum'];

let mode: 'fused' | 'composed' | null = null;

function modeFromEnv(): 'fused' | 'composed' {
  const raw = process.env['PARZEN_GAT_LAYER'];
  if (raw === undefined || raw === '' || raw === 'fused') return 'fused';
  if (raw === 'composed') return 'composed';
  throw new ConfigError(`PARZEN_GAT_LAYER: expected 'fused' or 'composed', got '${raw}'; unset it for the fused layer`, { code: 'USAGE' });
}

/** Picks the fused or the composed layer for this thread (tests compare both; PARZEN_GAT_LAYER=composed for A/B runs). */
export function useFusedGatLayer(on: boolean): void {
  mode = on ? 'fused' : 'composed';
}

/** True when the fused layer is on and every kernel it calls is registered for the current backend. */
export function fusedGatLayerActive(): boolean {
  mode ??= modeFromEnv();
  return mode === 'fused' && KERNELS.every((k) => fusedKernelActive(k)) && tf.getKernel('EluGrad', tf.getBackend()) !== undefined;
}

/** What the backward pass reads, in the order `save` keeps it. */
interface Saved {
  readonly h: tf.Tensor;
  readonly xSrcE: tf.Tensor;
  readonly xDstE: tf.Tensor;
  readonly xEdge: tf.Tensor;
  readonly alpha0: tf.Tensor;
  readonly alpha: tf.Tensor;
  readonly agg: tf.Tensor;
  readonly elu: tf.Tensor;
  readonly residual: tf.Tensor;
  readonly src: tf.Tensor;
  readonly dst: tf.Tensor;
  readonly edgeFeatures: tf.Tensor;
  readonly masks?: { readonly edge: tf.Tensor; readonly node: tf.Tensor };
}

const SAVED_ORDER = ['h', 'xSrcE', 'xDstE', 'xEdge', 'alpha0', 'agg', 'elu', 'residual', 'src', 'dst', 'edgeFeatures'] as const;

function toList(s: Saved): tf.Tensor[] {
  const list = SAVED_ORDER.map((k) => s[k]);
  return s.masks === undefined ? list : [...list, s.alpha, s.masks.edge, s.masks.node];
}

function fromList(list: readonly tf.Tensor[]): Saved {
  const named = Object.fromEntries(SAVED_ORDER.map((k, i) => [k, list[i]])) as Record<(typeof SAVED_ORDER)[number], tf.Tensor>;
  const n = SAVED_ORDER.length;
  if (list.length === n) return { ...named, alpha: named.alpha0 };
  return { ...named, alpha: list[n] as tf.Tensor, masks: { edge: list[n + 1] as tf.Tensor, node: list[n + 2] as tf.Tensor } };
}

/** The layer's output and the tensors its backward needs. */
function forward(h: tf.Tensor, g: FusedLayerGraph, p: GatLayerParams, masks: LayerMasks | undefined): { y: tf.Tensor; saved: Saved } {
  const attrs = { numSegments: g.nNodes };
  const gather = (x: tf.Tensor, indices: tf.Tensor1D): tf.Tensor => runFused('ParzenGatherRows', { x, indices })[0] as tf.Tensor;
  const xSrcE = gather(product(h, p.wSrc, false, false), g.src);
  const xDstE = gather(product(h, p.wDst, false, false), g.dst);
  const xEdge = product(g.edgeFeatures, p.wEdge, false, false);
  const logits = runFused('ParzenGatv2Scores', { src: xSrcE, dst: xDstE, edge: xEdge, attn: p.attn }, { slope: LEAKY_SLOPE })[0] as tf.Tensor;
  const alpha0 = runFused('ParzenSegmentSoftmax', { logits, segmentIds: g.dst }, attrs)[0] as tf.Tensor;
  const alpha = masks === undefined ? alpha0 : tf.mul(alpha0, masks.edge);
  const agg = runFused('ParzenWeightedSegmentSum', { x: xSrcE, alpha, segmentIds: g.dst }, attrs)[0] as tf.Tensor;
  const elu = tf.elu(tf.add(product(agg, p.wOut, false, false), p.bOut));
  const residual = tf.add(h, masks === undefined ? elu : tf.mul(elu, masks.node));
  const y = runFused('ParzenLayerNorm', { x: residual, gain: p.lnGain, bias: p.lnBias })[0] as tf.Tensor;
  const saved: Saved = { h, xSrcE, xDstE, xEdge, alpha0, alpha, agg, elu, residual, src: g.src, dst: g.dst, edgeFeatures: g.edgeFeatures, ...(masks === undefined ? {} : { masks }) };
  return { y, saved };
}

/** Gradients of the layer's inputs, in `fusedGatLayer`'s input order (h, then the weights as GatLayerParams lists them). */
function backward(dy: tf.Tensor, s: Saved, p: GatLayerParams, nNodes: number): tf.Tensor[] {
  const attrs = { numSegments: nNodes };
  const [dResidual, dGain, dBias] = runFused('ParzenLayerNormGrad', { dy, x: s.residual, gain: p.lnGain }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const dElu = s.masks === undefined ? dResidual : tf.mul(dResidual, s.masks.node);
  const dPre = tf.engine().runKernel('EluGrad', { dy: dElu, y: s.elu }) as tf.Tensor;
  const dBOut = runFused('ParzenColumnSum', { dy: dPre })[0] as tf.Tensor;
  const dWOut = product(s.agg, dPre, true, false);
  const dAgg = product(dPre, p.wOut, false, true);
  const [dXAgg, dAlpha] = runFused('ParzenWeightedSegmentSumGrad', { dy: dAgg, x: s.xSrcE, alpha: s.alpha, segmentIds: s.dst }, attrs) as [tf.Tensor, tf.Tensor];
  const dAlpha0 = s.masks === undefined ? dAlpha : tf.mul(dAlpha, s.masks.edge);
  const dLogits = runFused('ParzenSegmentSoftmaxGrad', { dAlpha: dAlpha0, alpha: s.alpha0, segmentIds: s.dst }, attrs)[0] as tf.Tensor;
  const [dz, dAttn] = runFused('ParzenGatv2ScoresGrad', { dScores: dLogits, src: s.xSrcE, dst: s.xDstE, edge: s.xEdge, attn: p.attn }, { slope: LEAKY_SLOPE }) as [tf.Tensor, tf.Tensor];
  // The scores' inputs enter as a sum, so source, destination and edge projections all receive dz.
  const dWEdge = product(s.edgeFeatures, dz, true, false);
  const dPDst = tf.unsortedSegmentSum(dz, s.dst as tf.Tensor1D, nNodes);
  const dPSrc = tf.unsortedSegmentSum(tf.add(dXAgg, dz), s.src as tf.Tensor1D, nNodes);
  const dH = tf.add(tf.add(dResidual, product(dPDst, p.wDst, false, true)), product(dPSrc, p.wSrc, false, true));
  return [dH, product(s.h, dPSrc, true, false), product(s.h, dPDst, true, false), dWEdge, dAttn, dWOut, dBOut, dGain, dBias];
}

/**
 * h' = LayerNorm(h + Dropout(ELU(W_o ‖_k Σ_j α^k_ij W^k_s h_j + b_o))) for node states h [N, D], as one op
 * (see above). `masks` are the keyed dropout masks of a training pass with dropout, else undefined. Check
 * `fusedGatLayerActive()` first; the weights must be the model's variables (read again by the backward).
 * @example fusedGatLayer(h, g, layer, undefined) // [N, D]
 */
export function fusedGatLayer(h: tf.Tensor2D, g: FusedLayerGraph, p: GatLayerParams, masks: LayerMasks | undefined): tf.Tensor2D {
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = inputs[inputs.length - 1] as tf.GradSaveFunc;
    const { y, saved } = forward(inputs[0] as tf.Tensor, g, p, masks);
    saveShared(save, toList(saved));
    return { value: y, gradFunc: (dy: tf.Tensor, list: tf.Tensor[]) => backward(dy, fromList(list), p, g.nNodes) };
  });
  return f(h, p.wSrc, p.wDst, p.wEdge, p.attn, p.wOut, p.bOut, p.lnGain, p.lnBias) as tf.Tensor2D;
}
