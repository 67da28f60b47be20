/** Shared fixtures of the dataset tests: small real splits, temp folders, raw HDF5 files to corrupt. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import h5wasm from 'h5wasm/node';
import { buildSplit } from '../../../../src/subsystems/optimizer/dataset/build-split.js';
import { EDGE_FEATURES, NODE_FEATURES } from '../../../../src/subsystems/optimizer/dataset/features.js';
import { FORMAT_VERSION } from '../../../../src/subsystems/optimizer/dataset/hdf5-split.js';
import { createLabeller } from '../../../../src/subsystems/optimizer/dataset/labels.js';
import { METRIC_NAMES, TARGET_NAMES, type CircuitSplit } from '../../../../src/subsystems/optimizer/dataset/types.js';

/** A real, labelled split of `n` circuits. */
export function smallSplit(n = 12, seed = 5, split = 'train'): CircuitSplit {
  return buildSplit({ nCircuits: n, seed, split, labeller: createLabeller() });
}

/** A fresh temp folder removed after the test. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-dataset-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface RawDataset {
  data: Float32Array | Int32Array | Float64Array;
  shape: number[];
  dtype: string;
}

export type RawAttr = number | string | string[];

/** The datasets and attributes `writeSplit` would write for `split`, as plain records to tamper with. */
export function rawContents(split: CircuitSplit): { datasets: Record<string, RawDataset>; attrs: Record<string, RawAttr> } {
  const rows = (a: { length: number }, cols: number): number[] => [a.length / cols, cols];
  return {
    datasets: {
      node_features: { data: split.nodeFeatures, shape: rows(split.nodeFeatures, 12), dtype: '<f' },
      node_offsets: { data: split.nodeOffsets, shape: [split.nodeOffsets.length], dtype: '<i' },
      edge_index: { data: split.edgeIndex, shape: rows(split.edgeIndex, 2), dtype: '<i' },
      edge_features: { data: split.edgeFeatures, shape: rows(split.edgeFeatures, 5), dtype: '<f' },
      edge_offsets: { data: split.edgeOffsets, shape: [split.edgeOffsets.length], dtype: '<i' },
      targets: { data: split.targets, shape: rows(split.targets, 3), dtype: '<f' },
      metrics: { data: split.metrics, shape: rows(split.metrics, 3), dtype: '<f' },
    },
    attrs: {
      format_version: FORMAT_VERSION,
      seed: 5,
      split: 'train',
      parzen_version: 'test',
      node_feature_names: [...NODE_FEATURES],
      edge_feature_names: [...EDGE_FEATURES],
      target_names: [...TARGET_NAMES],
      metric_names: [...METRIC_NAMES],
    },
  };
}

/** Writes an HDF5 file with exactly these datasets and root attributes, bypassing `writeSplit`'s checks. */
export async function writeRawH5(path: string, contents: { datasets: Record<string, RawDataset>; attrs: Record<string, RawAttr> }): Promise<void> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'w');
  try {
    for (const [name, d] of Object.entries(contents.datasets)) f.create_dataset({ name, data: d.data, shape: d.shape, dtype: d.dtype });
    for (const [name, v] of Object.entries(contents.attrs)) f.create_attribute(name, v);
  } finally {
    f.close();
  }
}
