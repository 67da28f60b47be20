/**
 * One split ↔ one HDF5 file (h5wasm, loaded lazily). Layout, all little-endian, CSR over circuits:
 *
 *   node_features float32 [totalNodes, 12]   node_offsets int32 [nCircuits + 1]
 *   edge_index    int32   [totalEdges, 2]    edge_features float32 [totalEdges, 5]   edge_offsets int32 [nCircuits + 1]
 *   targets       float32 [nCircuits, 3]     metrics float32 [nCircuits, 3]
 *
 * Root attributes: format_version, seed, split, node_feature_names, edge_feature_names, target_names,
 * metric_names, parzen_version. Files are written atomically (data/atomic-write.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Dataset as H5Dataset, File as H5File } from 'h5wasm';
import { writeAtomically } from '../../../data/atomic-write.js';
import { innermostHdf5Message, loadH5, type H5 } from '../../../data/hdf5.js';
import { DatasetError } from '../../../errors.js';
import { codeVersion } from '../../../util/code-version.js';
import { EDGE_FEATURES, NODE_FEATURES } from './features.js';
import { METRIC_NAMES, TARGET_NAMES, type CircuitSplit } from './types.js';
import { REGENERATE_HINT, validateSplit, type SplitSource } from './validate-split.js';

/** Bump when the layout or the meaning of a feature column changes; older files are then regenerated. */
export const FORMAT_VERSION = 1;

/** Provenance stored in every split file. */
export interface SplitAttrs {
  readonly formatVersion: number;
  readonly seed: number;
  readonly split: string;
  readonly parzenVersion: string;
  readonly nodeFeatureNames: readonly string[];
  readonly edgeFeatureNames: readonly string[];
  readonly targetNames: readonly string[];
  readonly metricNames: readonly string[];
}

/** A split read from disk, with the file's attributes. */
export interface LoadedSplit extends CircuitSplit {
  readonly attrs: SplitAttrs;
}

type ArrayKey = 'nodeFeatures' | 'nodeOffsets' | 'edgeIndex' | 'edgeFeatures' | 'edgeOffsets' | 'targets' | 'metrics';

/** Each dataset: its field, dtype ('<f' float32, '<i' int32) and column count (null for 1-D). */
const DATASETS: readonly { name: string; key: ArrayKey; dtype: '<f' | '<i'; cols: number | null }[] = [
  { name: 'node_features', key: 'nodeFeatures', dtype: '<f', cols: NODE_FEATURES.length },
  { name: 'node_offsets', key: 'nodeOffsets', dtype: '<i', cols: null },
  { name: 'edge_index', key: 'edgeIndex', dtype: '<i', cols: 2 },
  { name: 'edge_features', key: 'edgeFeatures', dtype: '<f', cols: EDGE_FEATURES.length },
  { name: 'edge_offsets', key: 'edgeOffsets', dtype: '<i', cols: null },
  { name: 'targets', key: 'targets', dtype: '<f', cols: TARGET_NAMES.length },
  { name: 'metrics', key: 'metrics', dtype: '<f', cols: METRIC_NAMES.length },
];

const DTYPE_NAMES = { '<f': 'float32', '<i': 'int32' } as const;

/**
 * Validates `split` and writes it to `path` (parent folders created), atomically.
 *
 * @example
 * await writeSplit('datasets/optimizer/train.h5', split, { seed: 42, split: 'train' });
 */
export async function writeSplit(path: string, split: CircuitSplit, attrs: { seed: number; split: string }): Promise<void> {
  validateSplit(split, { where: `split to be written to ${path}`, fix: 'the generator produced it: this is a bug, please report it' });
  const h5 = await loadH5();
  try {
    await writeAtomically(path, (tmp) => {
      const file = new h5.File(tmp, 'w');
      try {
        writeContents(file, split, attrs);
      } finally {
        file.close();
      }
    });
  } catch (e) {
    throw new DatasetError(`${path}: could not write the split (${innermostHdf5Message(e)}); check the folder is writable and has space`, { cause: e });
  }
}

function writeContents(file: H5File, split: CircuitSplit, attrs: { seed: number; split: string }): void {
  for (const spec of DATASETS) {
    const data = split[spec.key];
    const shape = spec.cols === null ? [data.length] : [data.length / spec.cols, spec.cols];
    file.create_dataset({ name: spec.name, data, shape, dtype: spec.dtype });
  }
  file.create_attribute('format_version', FORMAT_VERSION);
  file.create_attribute('seed', attrs.seed);
  file.create_attribute('split', attrs.split);
  file.create_attribute('parzen_version', codeVersion());
  file.create_attribute('node_feature_names', [...NODE_FEATURES]);
  file.create_attribute('edge_feature_names', [...EDGE_FEATURES]);
  file.create_attribute('target_names', [...TARGET_NAMES]);
  file.create_attribute('metric_names', [...METRIC_NAMES]);
}

/**
 * Reads and validates the split at `path`. Every problem (missing file, missing dataset, wrong dtype or
 * shape, non-monotone offsets, edge indices out of range, a format written by another version) is a
 * `DatasetError` naming the file, the dataset and the fix.
 *
 * @example
 * const train = await readSplit('datasets/optimizer/train.h5');
 * console.log(train.nCircuits, train.attrs.seed);
 */
export async function readSplit(path: string): Promise<LoadedSplit> {
  const src: SplitSource = { where: path, fix: REGENERATE_HINT };
  if (!existsSync(path)) throw new DatasetError(`${path}: file not found; ${REGENERATE_HINT}`);
  const h5 = await loadH5();
  let file: H5File;
  try {
    file = new h5.File(resolve(path), 'r');
  } catch (e) {
    throw new DatasetError(`${path}: not a readable HDF5 file; ${REGENERATE_HINT}`, { cause: e });
  }
  try {
    const attrs = readAttrs(file, src);
    const arrays = {} as Record<ArrayKey, Float32Array | Int32Array>;
    for (const spec of DATASETS) arrays[spec.key] = readDataset(h5, file, spec, src);
    const split: CircuitSplit = {
      nCircuits: arrays.targets.length / TARGET_NAMES.length,
      nodeFeatures: arrays.nodeFeatures as Float32Array,
      nodeOffsets: arrays.nodeOffsets as Int32Array,
      edgeIndex: arrays.edgeIndex as Int32Array,
      edgeFeatures: arrays.edgeFeatures as Float32Array,
      edgeOffsets: arrays.edgeOffsets as Int32Array,
      targets: arrays.targets as Float32Array,
      metrics: arrays.metrics as Float32Array,
    };
    validateSplit(split, src);
    return { ...split, attrs };
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    // HDF5 errors past the open (a truncated file, a damaged chunk) surface as plain Errors from h5wasm.
    throw new DatasetError(`${path}: HDF5 read failed (${innermostHdf5Message(e)}); ${REGENERATE_HINT}`, { cause: e });
  } finally {
    file.close();
  }
}

function readDataset(h5: H5, file: H5File, spec: (typeof DATASETS)[number], src: SplitSource): Float32Array | Int32Array {
  const fail = (problem: string, code: 'DATASET' | 'SHAPE' = 'SHAPE'): never => {
    throw new DatasetError(`${src.where}: dataset \`${spec.name}\` ${problem}; ${src.fix}`, { code });
  };
  const entity = file.get(spec.name);
  if (!(entity instanceof h5.Dataset)) return fail('is missing', 'DATASET');
  const ds: H5Dataset = entity;
  const want = DTYPE_NAMES[spec.dtype];
  if (ds.dtype !== spec.dtype) fail(`has dtype ${JSON.stringify(ds.dtype)}, expected ${want} (${spec.dtype})`);
  const shape = ds.shape ?? [];
  const wantShape = spec.cols === null ? '[rows]' : `[rows, ${spec.cols}]`;
  const shapeOk = spec.cols === null ? shape.length === 1 : shape.length === 2 && shape[1] === spec.cols;
  if (!shapeOk) fail(`has shape [${shape.join(', ')}], expected ${wantShape}`);
  const value = ds.value;
  const ok = spec.dtype === '<f' ? value instanceof Float32Array : value instanceof Int32Array;
  if (!ok) return fail(`did not read back as ${want}`);
  return value as Float32Array | Int32Array;
}

function readAttrs(file: H5File, src: SplitSource): SplitAttrs {
  const all = file.attrs;
  const get = (name: string): unknown => {
    const a = all[name];
    if (a === undefined) throw new DatasetError(`${src.where}: attribute \`${name}\` is missing; ${src.fix}`);
    return a.value;
  };
  const formatVersion = Number(get('format_version'));
  if (formatVersion !== FORMAT_VERSION) {
    throw new DatasetError(`${src.where}: format version ${formatVersion}, this parzen reads ${FORMAT_VERSION}; ${src.fix}`);
  }
  const names = (name: string, expected: readonly string[]): readonly string[] => {
    const v = get(name);
    const list = Array.isArray(v) ? v.map(String) : [String(v)];
    if (list.join(',') !== expected.join(',')) {
      throw new DatasetError(`${src.where}: attribute \`${name}\` is [${list.join(', ')}], expected [${expected.join(', ')}]; ${src.fix}`);
    }
    return list;
  };
  return {
    formatVersion,
    seed: Number(get('seed')),
    split: String(get('split')),
    parzenVersion: String(get('parzen_version')),
    nodeFeatureNames: names('node_feature_names', NODE_FEATURES),
    edgeFeatureNames: names('edge_feature_names', EDGE_FEATURES),
    targetNames: names('target_names', TARGET_NAMES),
    metricNames: names('metric_names', METRIC_NAMES),
  };
}
