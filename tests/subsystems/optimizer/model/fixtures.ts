import { initBackend, type MlRuntime } from '../../../../src/ml/backend.js';
import { buildSplit, createLabeller } from '../../../../src/subsystems/optimizer/dataset/index.js';
import type { CircuitSplit } from '../../../../src/subsystems/optimizer/dataset/types.js';
import { EDGE_INPUT_DIM } from '../../../../src/subsystems/optimizer/batching.js';
import { featureStats, GRAPH_INPUT_DIM, prepareSplit, type PreparedSplit } from '../../../../src/subsystems/optimizer/feature-stats.js';
import type { GatConfig } from '../../../../src/subsystems/optimizer/model/gat-config.js';

/** Small real circuits (generated and labelled by the estimator), so model tests stay fast. */
export const TINY_SHAPE = { minNodes: 12, maxNodes: 30, minLayers: 2, maxLayers: 6 } as const;

export function tinySplit(nCircuits: number, split = 'train', seed = 7): CircuitSplit {
  return buildSplit({ nCircuits, seed, split, shape: TINY_SHAPE, labeller: createLabeller() });
}

/** A prepared tiny training split (normalised with its own statistics). */
export function tinyPrepared(nCircuits: number, seed = 7): PreparedSplit {
  const split = tinySplit(nCircuits, 'train', seed);
  return prepareSplit(split, featureStats(split));
}

export const TINY_CONFIG: GatConfig = {
  hiddenDim: 16, numLayers: 2, numHeads: 4, dropout: 0.1, nodeInputDim: 12, edgeInputDim: EDGE_INPUT_DIM, graphInputDim: GRAPH_INPUT_DIM, outputDim: 6,
};

/** The backend the subsystem runs on by default on this machine. */
export function wasmRuntime(): Promise<MlRuntime> {
  return initBackend('wasm');
}
