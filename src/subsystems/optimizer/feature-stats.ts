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
  /** Column z-scores of the per-circuit statistics (`graphStatistics`). */
  readonly graphMean: Float32Array;
  readonly graphStd: Float32Array;
  readonly labels: LabelNormalisation;
}

/**
 * Per-circuit statistics of the raw node features, `GRAPH_STAT_DIM` columns: ln(1 + Σ) of each node column
 * (for the one-hot gate columns, the count of each gate type), the max of each column (for `mult_depth`, the
 * circuit's multiplicative depth), and ln(node count). This is a sum and max readout of the input layer — the
 * sum readout of GIN (Xu et al., "How Powerful are Graph Neural Networks?", ICLR 2019, eq. 4.2) applied to
 * layer 0 as in jumping-knowledge networks (Xu et al., ICML 2018). Mean and max pooling of the last layer
 * cannot count, yet the labels are functions of counts: σ is a saw-tooth of the number of ciphertext
 * multiplications (estimator/ckks-noise.ts), n and log2 q follow the multiplicative depth.
 */
export const GRAPH_STAT_DIM = 2 * NODE_FEATURE_COUNT + 1;

/**
 * Frequency bands of the Fourier encoding of the z-scored statistics: z, then sin(2^k·π·z) and cos(2^k·π·z) for
 * k < FOURIER_BANDS. The labels are step and saw-tooth functions of those counts (a ring dimension doubles, σ
 * wraps when the scale's rounding slack runs out), and an MLP on raw inputs learns high frequencies slowly
 * (spectral bias); a Fourier encoding of the input lets it fit them (Tancik et al., "Fourier Features Let
 * Networks Learn High Frequency Functions in Low Dimensional Domains", NeurIPS 2020). Measured on the default
 * dataset: docs/benchmarks/gnn.md.
 */
export const FOURIER_BANDS = 3;

/** Width of the per-circuit input the readout receives: each statistic and its 2·FOURIER_BANDS encodings. */
export const GRAPH_INPUT_DIM = GRAPH_STAT_DIM * (1 + 2 * FOURIER_BANDS);

/** Number of network outputs: 3 normalised parameters (n, log2_q, sigma) + 3 normalised metrics. */
export const OUTPUT_COUNT = 6;

/** A split with its normalised outputs computed once: [nCircuits, 6], targets then metrics per row. */
export interface PreparedSplit {
  readonly split: CircuitSplit;
  readonly stats: FeatureStats;
  readonly outputsZ: Float32Array;
  /** [nCircuits, GRAPH_INPUT_DIM]: the circuit statistics z-scored with the training split's, Fourier-encoded. */
  readonly graphInputs: Float32Array;
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

/** Raw `[nCircuits, GRAPH_STAT_DIM]` statistics of a split (see `GRAPH_STAT_DIM`). */
export function graphStatistics(split: CircuitSplit): Float32Array {
  const F = NODE_FEATURE_COUNT;
  const out = new Float32Array(split.nCircuits * GRAPH_STAT_DIM);
  const sum = new Float64Array(F);
  const max = new Float64Array(F);
  for (let c = 0; c < split.nCircuits; c++) {
    sum.fill(0);
    max.fill(Number.NEGATIVE_INFINITY);
    const first = split.nodeOffsets[c];
    const last = split.nodeOffsets[c + 1];
    for (let i = first; i < last; i++) {
      for (let f = 0; f < F; f++) {
        const v = split.nodeFeatures[i * F + f];
        sum[f] += v;
        if (v > max[f]) max[f] = v;
      }
    }
    const o = c * GRAPH_STAT_DIM;
    for (let f = 0; f < F; f++) {
      out[o + f] = Math.log1p(Math.max(sum[f], 0));
      out[o + F + f] = last > first ? max[f] : 0;
    }
    out[o + 2 * F] = Math.log(Math.max(last - first, 1));
  }
  return out;
}

/** z-scores raw statistics with `stats` and appends their Fourier encoding → [rows, GRAPH_INPUT_DIM]. */
export function encodeGraphStatistics(raw: Float32Array, stats: FeatureStats): Float32Array {
  const rows = raw.length / GRAPH_STAT_DIM;
  const out = new Float32Array(rows * GRAPH_INPUT_DIM);
  for (let r = 0; r < rows; r++) {
    const o = r * GRAPH_INPUT_DIM;
    for (let f = 0; f < GRAPH_STAT_DIM; f++) {
      const z = (raw[r * GRAPH_STAT_DIM + f] - stats.graphMean[f]) / stats.graphStd[f];
      out[o + f] = z;
      for (let k = 0; k < FOURIER_BANDS; k++) {
        const angle = 2 ** k * Math.PI * z;
        out[o + GRAPH_STAT_DIM * (1 + 2 * k) + f] = Math.sin(angle);
        out[o + GRAPH_STAT_DIM * (2 + 2 * k) + f] = Math.cos(angle);
      }
    }
  }
  return out;
}

/**
 * Normalisation statistics of a training split.
 * @example const stats = featureStats(train); const val = prepareSplit(valSplit, stats);
 */
export function featureStats(split: CircuitSplit): FeatureStats {
  if (split.nCircuits === 0) throw new DatasetError('training split has no circuits; regenerate it with --train > 0');
  const node = columnStats(split.nodeFeatures, NODE_FEATURE_COUNT);
  const edge = columnStats(split.edgeFeatures, EDGE_FEATURE_COUNT);
  const graph = columnStats(graphStatistics(split), GRAPH_STAT_DIM);
  return {
    nodeMean: node.mean, nodeStd: node.std, edgeMean: edge.mean, edgeStd: edge.std,
    graphMean: graph.mean, graphStd: graph.std, labels: computeNormalisation(split),
  };
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
  return { split, stats, outputsZ, graphInputs: encodeGraphStatistics(graphStatistics(split), stats) };
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
