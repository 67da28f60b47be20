import { DatasetError } from '../../errors.js';
import {
  computeNormalisation,
  denormaliseLabels,
  normaliseLabels,
  type LabelNormalisation,
} from './dataset/normalisation.js';
import { EDGE_FEATURE_COUNT, NODE_FEATURE_COUNT, type CircuitSplit } from './dataset/types.js';

/**
 * What the network's inputs and outputs are normalised with: column z-scores of node and edge features, and
 * the dataset's label normalisation (z-scores after log2 for n and proof_size, see dataset/normalisation.ts).
 * Computed on the training split only and reused for validation and test, so nothing leaks from held-out data.
 */
export interface FeatureStats {
  readonly nodeMean: Float32Array;
  readonly nodeStd: Float32Array;
  readonly edgeMean: Float32Array;
  readonly edgeStd: Float32Array;
  readonly labels: LabelNormalisation;
}

/** Number of network outputs: 3 normalised parameters (n, log2_q, sigma) + 3 normalised metrics. */
export const OUTPUT_COUNT = 6;

/** A split with its normalised outputs computed once: [nCircuits, 6], targets then metrics per row. */
export interface PreparedSplit {
  readonly split: CircuitSplit;
  readonly stats: FeatureStats;
  readonly outputsZ: Float32Array;
}

/** Mean and standard deviation of each column of a row-major `[rows, cols]` array (std floored at 1e-6). */
function columnStats(values: Float32Array, cols: number): { mean: Float32Array; std: Float32Array } {
  const rows = Math.max(values.length / cols, 1);
  const mean = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let i = 0; i < values.length; i++) mean[i % cols] += values[i];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let i = 0; i < values.length; i++) sq[i % cols] += (values[i] - mean[i % cols]) ** 2;
  // A constant column (std 0, e.g. a one-hot gate type absent from the data) stays 0 after centring.
  const std = Float32Array.from(sq, (s) => Math.max(Math.sqrt(s / rows), 1e-6));
  return { mean: Float32Array.from(mean), std };
}

/**
 * Normalisation statistics of a training split.
 * @example const stats = featureStats(train); const val = prepareSplit(valSplit, stats);
 */
export function featureStats(split: CircuitSplit): FeatureStats {
  if (split.nCircuits === 0) throw new DatasetError('training split has no circuits; regenerate it with --train > 0');
  const node = columnStats(split.nodeFeatures, NODE_FEATURE_COUNT);
  const edge = columnStats(split.edgeFeatures, EDGE_FEATURE_COUNT);
  return { nodeMean: node.mean, nodeStd: node.std, edgeMean: edge.mean, edgeStd: edge.std, labels: computeNormalisation(split) };
}

/** Normalises a split's labels with `stats` (from the training split) into the network's output layout. */
export function prepareSplit(split: CircuitSplit, stats: FeatureStats): PreparedSplit {
  const t = normaliseLabels(split.targets, stats.labels.targets);
  const m = normaliseLabels(split.metrics, stats.labels.metrics);
  const outputsZ = new Float32Array(split.nCircuits * OUTPUT_COUNT);
  for (let i = 0; i < split.nCircuits; i++) {
    outputsZ.set(t.subarray(i * 3, i * 3 + 3), i * OUTPUT_COUNT);
    outputsZ.set(m.subarray(i * 3, i * 3 + 3), i * OUTPUT_COUNT + 3);
  }
  return { split, stats, outputsZ };
}

/** Network outputs [rows, 6] (z-scores) back to raw targets [rows, 3] and metrics [rows, 3]. */
export function denormaliseOutputs(z: Float32Array, stats: FeatureStats): { targets: Float32Array; metrics: Float32Array } {
  const rows = z.length / OUTPUT_COUNT;
  const t = new Float32Array(rows * 3);
  const m = new Float32Array(rows * 3);
  for (let i = 0; i < rows; i++) {
    t.set(z.subarray(i * OUTPUT_COUNT, i * OUTPUT_COUNT + 3), i * 3);
    m.set(z.subarray(i * OUTPUT_COUNT + 3, i * OUTPUT_COUNT + 6), i * 3);
  }
  return { targets: denormaliseLabels(t, stats.labels.targets), metrics: denormaliseLabels(m, stats.labels.metrics) };
}
