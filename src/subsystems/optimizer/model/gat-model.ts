import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../util/rng.js';
import type { GraphBatch } from '../batching.js';
import { validateGatConfig, type GatConfig } from './gat-config.js';
import { biasAdd } from '../../../ml/layers/bias-add.js';
import { dense, denseOfData } from '../../../ml/layers/dense.js';
import { gatherRows } from '../../../ml/kernels/gather-rows.js';
import { KeyedDropoutPlan } from '../../../ml/layers/keyed-dropout.js';
import { maxOverRows } from '../../../ml/kernels/max-over-rows.js';
import { gatLayer, graphDropout, type DropoutPlan, type GraphTensors, type LayerOptions } from './gat-layer.js';
import { fusedGatLayerActive } from './fused-gat-layer.js';
import { fusedHeadLoss, type HeadMasks } from './fused-head-loss.js';
import { fusedReadout } from './fused-readout.js';
import { initGatParams, type GatParams } from './params.js';
import { assertLength, assertShape } from '../../../ml/layers/shapes.js';

/**
 * Graph attention network over circuit graphs (Veličković et al. 2018, with GATv2's dynamic attention and
 * edge features): node input projection → `numLayers` attention layers → mean ‖ max ‖ graph-statistics readout per
 * circuit → three-layer MLP head to 6 normalised outputs (n, log2_q, sigma, bit_security, hardness, proof_size).
 *
 * Implements the training loop's `TrainableModel<GraphBatch>`: it owns its `tf.Variable`s, initialised from a
 * seed, and `loss(batch, training)` returns MSE(params) + MSE(metrics) on normalised targets.
 * @example
 * const model = new GatModel({ hiddenDim: 128, numLayers: 3, numHeads: 4, dropout: 0.1, nodeInputDim: 12, edgeInputDim: 7, graphInputDim: 175, outputDim: 6 }, 42);
 * const loss = model.loss(packBatch(train, [0, 1, 2], stats), true);
 */
export class GatModel {
  readonly config: GatConfig;
  readonly variables: readonly tf.Variable[];
  readonly #params: GatParams;
  readonly #rng: Rng;

  constructor(config: GatConfig, seed: number) {
    this.config = validateGatConfig(config);
    const { params, variables } = initGatParams(config, seed);
    this.#params = params;
    this.variables = variables;
    this.#rng = new Rng(seed, 0xd20);
  }

  /** Checks every array of a packed batch against the architecture; throws TrainingError('SHAPE'). */
  validateBatch(b: GraphBatch): void {
    const { nodeInputDim, edgeInputDim, graphInputDim, outputDim } = this.config;
    assertLength(`nodeFeatures [N=${b.nNodes}, ${nodeInputDim}]`, b.nodeFeatures.length, b.nNodes, nodeInputDim);
    assertLength(`src [E=${b.nEdges}]`, b.src.length, b.nEdges, 1);
    assertLength(`dst [E=${b.nEdges}]`, b.dst.length, b.nEdges, 1);
    assertLength(`edgeFeatures [E=${b.nEdges}, ${edgeInputDim}]`, b.edgeFeatures.length, b.nEdges, edgeInputDim);
    assertLength(`readoutIndex [B=${b.nGraphs}, M=${b.maxNodes}]`, b.readoutIndex.length, b.nGraphs, b.maxNodes);
    assertLength(`readoutBias [B=${b.nGraphs}, M=${b.maxNodes}]`, b.readoutBias.length, b.nGraphs, b.maxNodes);
    assertLength(`nodeCounts [B=${b.nGraphs}]`, b.nodeCounts.length, b.nGraphs, 1);
    assertLength(`graphInputs [B=${b.nGraphs}, ${graphInputDim}]`, b.graphInputs.length, b.nGraphs, graphInputDim);
    assertLength(`targets [B=${b.nGraphs}, ${outputDim}]`, b.targets.length, b.nGraphs, outputDim);
  }

  /** Normalised predictions [B, 6] for a batch (dropout on when `training`). Caller disposes. */
  forward(b: GraphBatch, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const { pooled, opts } = this.#encode(b, training);
      const pred = this.#head(pooled, opts);
      assertShape('predictions', pred.shape, [b.nGraphs, this.config.outputDim]);
      return pred;
    });
  }

  /** The readout [B, 2D + G] of a batch after the input projection and the attention layers. */
  #encode(b: GraphBatch, training: boolean): { pooled: tf.Tensor2D; opts: LayerOptions } {
    this.validateBatch(b);
    const p = this.#params;
    const D = this.config.hiddenDim;
    const plan = b.dropoutSeed === undefined ? undefined : new KeyedDropoutPlan(b.dropoutSeed, { node: b.nodeKeys, edge: b.edgeKeys, graph: b.graphKeys });
    const opts: LayerOptions = { numHeads: this.config.numHeads, dropout: this.config.dropout, training, rng: this.#rng, ...(plan === undefined ? {} : { plan }) };
    const g: GraphTensors = {
      nNodes: b.nNodes,
      src: tf.tensor1d(b.src, 'int32'),
      dst: tf.tensor1d(b.dst, 'int32'),
      srcValues: b.src,
      dstValues: b.dst,
      edgeFeatures: tf.tensor2d(b.edgeFeatures, [b.nEdges, this.config.edgeInputDim]),
    };
    const x = tf.tensor2d(b.nodeFeatures, [b.nNodes, this.config.nodeInputDim]);
    let h = tf.elu(biasAdd(denseOfData(x, p.wIn as tf.Tensor2D), p.bIn as tf.Tensor1D)) as tf.Tensor2D;
    for (const layer of p.layers) h = gatLayer(h, g, layer, opts);
    assertShape('node states', h.shape, [b.nNodes, D]);
    return { pooled: this.#readout(h, b), opts };
  }

  /**
   * mean ‖ max over each circuit's nodes ‖ the circuit's statistics → [B, 2D + G]; circuits are padded to the
   * batch's largest. Mean and max pooling cannot count (a circuit and two copies of it pool alike), yet every
   * label is a function of counts — the number of multiplications, the multiplicative depth, the node count —
   * so the readout also carries a sum and max readout of the input features, Fourier-encoded
   * (feature-stats.ts: graphStatistics, encodeGraphStatistics). Where the fused layer runs, one op does it all with
   * the same bits (fused-readout.ts); else the composed ops below.
   */
  #readout(h: tf.Tensor2D, b: GraphBatch): tf.Tensor2D {
    if (fusedGatLayerActive()) return fusedReadout(h, b);
    const D = this.config.hiddenDim;
    const padded = gatherRows(tf.concat([h, tf.zeros([1, D])], 0) as tf.Tensor2D, tf.tensor1d(b.readoutIndex, 'int32'), b.readoutIndex).reshape([b.nGraphs, b.maxNodes, D]);
    const counts = tf.tensor2d(b.nodeCounts, [b.nGraphs, 1]);
    const mean = tf.div(tf.sum(padded, 1), counts);
    // Ties between identical nodes are common: maxOverRows gives the gradient to one of them, tf.max to all.
    const max = maxOverRows(tf.add(padded, tf.tensor3d(b.readoutBias, [b.nGraphs, b.maxNodes, 1])) as tf.Tensor3D);
    const graphInputs = tf.tensor2d(b.graphInputs, [b.nGraphs, this.config.graphInputDim]);
    return tf.concat([mean, max, graphInputs], 1) as tf.Tensor2D;
  }

  #head(pooled: tf.Tensor2D, opts: LayerOptions): tf.Tensor2D {
    const p = this.#params;
    const h1 = graphDropout(tf.relu(tf.add(dense(pooled, p.wHead1 as tf.Tensor2D), p.bHead1)) as tf.Tensor2D, 'graph', opts);
    const h2 = graphDropout(tf.relu(tf.add(dense(h1, p.wHead2 as tf.Tensor2D), p.bHead2)) as tf.Tensor2D, 'graph', opts);
    return tf.add(dense(h2, p.wHead3 as tf.Tensor2D), p.bHead3) as tf.Tensor2D;
  }

  /**
   * MSE over the 3 normalised parameters plus MSE over the 3 normalised metrics (each a mean over B × 3).
   * Predictions and targets must both be [B, 6]: a [B] or [6] target would broadcast silently, so it is checked.
   */
  loss(b: GraphBatch, training: boolean): tf.Scalar {
    return tf.tidy(() => {
      const { pooled, opts } = this.#encode(b, training);
      const target = tf.tensor2d(b.targets, [b.nGraphs, this.config.outputDim]);
      const dropping = opts.training && opts.dropout > 0;
      // One op for head and loss where the fused layer runs (same bits: fused-head-loss.ts); else the composed ops.
      if (fusedGatLayerActive() && this.config.outputDim % 2 === 0 && (!dropping || opts.plan !== undefined)) {
        const masks = dropping ? this.#headMasks(b.nGraphs, opts) : undefined;
        return fusedHeadLoss(pooled, target, this.#params, masks);
      }
      const pred = this.#head(pooled, opts);
      assertShape('targets', target.shape, pred.shape);
      const sq = tf.squaredDifference(pred, target);
      const half = this.config.outputDim / 2;
      const paramsLoss = tf.mean(tf.slice(sq, [0, 0], [-1, half]));
      const metricsLoss = tf.mean(tf.slice(sq, [0, half], [-1, -1]));
      return tf.add(paramsLoss, metricsLoss) as tf.Scalar;
    });
  }

  /** The keyed masks `#head`'s two dropouts would draw, in the same order. */
  #headMasks(nGraphs: number, opts: LayerOptions): HeadMasks {
    const plan = opts.plan as DropoutPlan;
    const D = this.config.hiddenDim;
    const draw = (): tf.Tensor2D => {
      const mask = plan.nextMask('graph', opts.dropout, D);
      assertShape('head dropout mask', mask.shape, [nGraphs, D]);
      return mask;
    };
    const first = draw();
    return [first, draw()];
  }

  /** Normalised predictions on the host, row-major [B, 6], evaluation mode (no dropout). */
  predict(b: GraphBatch): Float32Array {
    const pred = this.forward(b, false);
    try {
      return pred.dataSync() as Float32Array;
    } finally {
      pred.dispose();
    }
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
