/**
 * Structural checks of a `CircuitSplit`: array lengths agree with the offsets, offsets are monotone, edges
 * stay inside their circuit and respect the topological numbering, and every float is finite. Run before a
 * split is written and after one is read, so no model ever trains on a malformed graph.
 */
import { DatasetError } from '../../../errors.js';
import { EDGE_FEATURE_COUNT, NODE_FEATURE_COUNT, type CircuitSplit } from './types.js';

/** Shell command that rebuilds the datasets, quoted in every "fix" hint. */
export const REGENERATE_HINT = 'regenerate with `tune datasets generate optimizer`';

/** Where a split came from, for messages: a file path, or a description of an in-memory split. */
export interface SplitSource {
  readonly where: string;
  /** What the user should do about a problem found here. */
  readonly fix: string;
}

function fail(src: SplitSource, dataset: string, problem: string, code: 'DATASET' | 'SHAPE' = 'DATASET'): never {
  throw new DatasetError(`${src.where}: dataset \`${dataset}\` ${problem}; ${src.fix}`, { code });
}

/** Offsets must start at 0, never decrease and end at `total`. */
function checkOffsets(src: SplitSource, name: string, offsets: Int32Array, total: number): void {
  if (offsets[0] !== 0) fail(src, name, `must start at 0 but starts at ${offsets[0]}`);
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i] < offsets[i - 1]) {
      fail(src, name, `is not monotone: entry ${i} (${offsets[i]}) < entry ${i - 1} (${offsets[i - 1]})`);
    }
  }
  const last = offsets[offsets.length - 1];
  if (last !== total) fail(src, name, `ends at ${last} but there are ${total} rows`, 'SHAPE');
}

function checkLength(src: SplitSource, name: string, actual: number, expected: number, shape: string): void {
  if (actual !== expected) fail(src, name, `has ${actual} values, expected ${expected} (${shape})`, 'SHAPE');
}

function checkFinite(src: SplitSource, name: string, values: Float32Array, cols: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) fail(src, name, `holds ${values[i]} at row ${Math.floor(i / cols)}, column ${i % cols}`);
  }
}

/** Every edge of circuit c joins two nodes of c, in topological order (src < dst), which also rules out cycles. */
function checkEdges(src: SplitSource, split: CircuitSplit): void {
  const { edgeIndex, edgeOffsets, nodeOffsets } = split;
  for (let c = 0; c < split.nCircuits; c++) {
    const nNodes = nodeOffsets[c + 1] - nodeOffsets[c];
    for (let e = edgeOffsets[c]; e < edgeOffsets[c + 1]; e++) {
      const s = edgeIndex[2 * e];
      const d = edgeIndex[2 * e + 1];
      if (s < 0 || d < 0 || s >= nNodes || d >= nNodes) {
        fail(src, 'edge_index', `row ${e} (${s} → ${d}) is out of range for circuit ${c}, which has ${nNodes} nodes`);
      }
      if (s >= d) fail(src, 'edge_index', `row ${e} (${s} → ${d}) of circuit ${c} breaks the topological order (src must be < dst)`);
    }
  }
}

/**
 * Throws a `DatasetError` naming `src.where`, the dataset and `src.fix` at the first problem found.
 *
 * @example
 * validateSplit(split, { where: 'datasets/optimizer/train.h5', fix: REGENERATE_HINT });
 */
export function validateSplit(split: CircuitSplit, src: SplitSource): void {
  const n = split.nCircuits;
  if (!Number.isInteger(n) || n < 0) fail(src, 'targets', `gives a circuit count of ${n}`, 'SHAPE');
  checkLength(src, 'node_offsets', split.nodeOffsets.length, n + 1, '[nCircuits + 1]');
  checkLength(src, 'edge_offsets', split.edgeOffsets.length, n + 1, '[nCircuits + 1]');
  if (split.nodeFeatures.length % NODE_FEATURE_COUNT !== 0) {
    fail(src, 'node_features', `has ${split.nodeFeatures.length} values, not a multiple of ${NODE_FEATURE_COUNT}`, 'SHAPE');
  }
  const totalNodes = split.nodeFeatures.length / NODE_FEATURE_COUNT;
  const totalEdges = split.edgeIndex.length / 2;
  if (!Number.isInteger(totalEdges)) fail(src, 'edge_index', `has ${split.edgeIndex.length} values, not a multiple of 2`, 'SHAPE');
  checkLength(src, 'edge_features', split.edgeFeatures.length, totalEdges * EDGE_FEATURE_COUNT, '[totalEdges, 5]');
  checkLength(src, 'targets', split.targets.length, n * 3, '[nCircuits, 3]');
  checkLength(src, 'metrics', split.metrics.length, n * 3, '[nCircuits, 3]');
  checkOffsets(src, 'node_offsets', split.nodeOffsets, totalNodes);
  checkOffsets(src, 'edge_offsets', split.edgeOffsets, totalEdges);
  checkEdges(src, split);
  checkFinite(src, 'node_features', split.nodeFeatures, NODE_FEATURE_COUNT);
  checkFinite(src, 'edge_features', split.edgeFeatures, EDGE_FEATURE_COUNT);
  checkFinite(src, 'targets', split.targets, 3);
  checkFinite(src, 'metrics', split.metrics, 3);
}
