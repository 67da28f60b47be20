import * as tf from '@tensorflow/tfjs-core';
import { VariableFactory } from '../../../ml/layers/init.js';
import type { GatConfig } from './gat-config.js';

/** The weights of one attention layer. */
export interface GatLayerParams {
  /** [D, D]: source projection, used for both the message and the attention logit (GATv2, Brody et al. 2022). */
  readonly wSrc: tf.Variable;
  /** [D, D]: destination projection, enters only the attention logit. */
  readonly wDst: tf.Variable;
  /** [edgeInputDim, D]: edge features folded into the logit, as GATv2's edge-aware variant. */
  readonly wEdge: tf.Variable;
  /** [H, D/H]: the attention vector a of each head. */
  readonly attn: tf.Variable;
  /** [D, D] and [D]: output projection after aggregation. */
  readonly wOut: tf.Variable;
  readonly bOut: tf.Variable;
  /** [D]: layer norm gain and bias (Ba et al. 2016). */
  readonly lnGain: tf.Variable;
  readonly lnBias: tf.Variable;
}

export interface GatParams {
  readonly wIn: tf.Variable;
  readonly bIn: tf.Variable;
  readonly layers: readonly GatLayerParams[];
  /** Head MLP over the readout (mean ‖ max ‖ graph statistics): [2D + G, D] → [D, D] → [D, outputDim]. */
  readonly wHead1: tf.Variable;
  readonly bHead1: tf.Variable;
  readonly wHead2: tf.Variable;
  readonly bHead2: tf.Variable;
  readonly wHead3: tf.Variable;
  readonly bHead3: tf.Variable;
}

/**
 * Initialises every weight of the network from `seed`: the same seed gives the same weights on any backend.
 * Returns the parameters and the flat list of variables (what the optimiser updates).
 */
export function initGatParams(config: GatConfig, seed: number): { params: GatParams; variables: tf.Variable[] } {
  const f = new VariableFactory(seed, { prefix: 'gat', stream: 0x6a7 });
  const D = config.hiddenDim;
  const headDim = D / config.numHeads;
  const wIn = f.glorot('in/w', [config.nodeInputDim, D]);
  const bIn = f.constant('in/b', D, 0);
  const layers: GatLayerParams[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    layers.push({
      wSrc: f.glorot(`l${l}/w_src`, [D, D]),
      wDst: f.glorot(`l${l}/w_dst`, [D, D]),
      wEdge: f.glorot(`l${l}/w_edge`, [config.edgeInputDim, D]),
      attn: f.glorot(`l${l}/attn`, [config.numHeads, headDim]),
      wOut: f.glorot(`l${l}/w_out`, [D, D]),
      bOut: f.constant(`l${l}/b_out`, D, 0),
      lnGain: f.constant(`l${l}/ln_gain`, D, 1),
      lnBias: f.constant(`l${l}/ln_bias`, D, 0),
    });
  }
  const params: GatParams = {
    wIn, bIn, layers,
    wHead1: f.glorot('head/w1', [2 * D + config.graphInputDim, D]),
    bHead1: f.constant('head/b1', D, 0),
    wHead2: f.glorot('head/w2', [D, D]),
    bHead2: f.constant('head/b2', D, 0),
    wHead3: f.glorot('head/w3', [D, config.outputDim]),
    bHead3: f.constant('head/b3', config.outputDim, 0),
  };
  return { params, variables: f.all };
}
