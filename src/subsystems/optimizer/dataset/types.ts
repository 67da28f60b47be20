/**
 * In-memory layout of one dataset split (train, val or test) of the optimizer subsystem: circuit graphs in
 * CSR form as flat typed arrays, exactly as stored in the split's HDF5 file.
 *
 * Circuit `c` owns nodes `nodeOffsets[c] .. nodeOffsets[c + 1]` (rows of `nodeFeatures`, `NODE_FEATURE_COUNT`
 * floats each) and edges `edgeOffsets[c] .. edgeOffsets[c + 1]` (rows of `edgeIndex`, two int32 each: source
 * and destination as LOCAL node indices within the circuit, and rows of `edgeFeatures`, `EDGE_FEATURE_COUNT`
 * floats each). `targets` and `metrics` hold three floats per circuit.
 */
export interface CircuitSplit {
  nCircuits: number;
  /** float32 [totalNodes, 12], row-major; column names in `NODE_FEATURES`. */
  nodeFeatures: Float32Array;
  /** int32 [nCircuits + 1], non-decreasing, starts at 0, ends at totalNodes. */
  nodeOffsets: Int32Array;
  /** int32 [totalEdges, 2], row-major (src, dst), local node indices, src < dst (topological order). */
  edgeIndex: Int32Array;
  /** float32 [totalEdges, 5], row-major; column names in `EDGE_FEATURES`. */
  edgeFeatures: Float32Array;
  /** int32 [nCircuits + 1], non-decreasing, starts at 0, ends at totalEdges. */
  edgeOffsets: Int32Array;
  /** float32 [nCircuits, 3], row-major: n, log2_q, sigma (names in `TARGET_NAMES`). */
  targets: Float32Array;
  /** float32 [nCircuits, 3], row-major: bit_security, hardness, proof_size (names in `METRIC_NAMES`). */
  metrics: Float32Array;
}

/** Floats per node row of `CircuitSplit.nodeFeatures`. */
export const NODE_FEATURE_COUNT = 12;
/** Floats per edge row of `CircuitSplit.edgeFeatures`. */
export const EDGE_FEATURE_COUNT = 5;
/** Column names of `CircuitSplit.targets`. */
export const TARGET_NAMES = ['n', 'log2_q', 'sigma'] as const;
/** Column names of `CircuitSplit.metrics`. */
export const METRIC_NAMES = ['bit_security', 'hardness', 'proof_size'] as const;
