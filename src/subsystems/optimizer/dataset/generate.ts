/**
 * `tune datasets generate optimizer`: writes `<dir>/{train,val,test}.h5` and `<dir>/manifest.json`, and
 * `ensureDatasets`, which does so only when a split is missing or invalid (what `tune --subsystem optimizer`
 * calls before its first trial).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataset, type EnsureResult } from '../../../data/ensure.js';
import { writeManifest, type ManifestBase } from '../../../data/manifest.js';
import { SPLIT_NAMES, type SplitName } from '../../../data/splits.js';
import { ConfigError } from '../../../errors.js';
import { codeVersion } from '../../../util/code-version.js';
import { buildSplit } from './build-split.js';
import { FORMAT_VERSION, readSplit, writeSplit } from './hdf5-split.js';
import { createLabeller } from './labels.js';

export { SPLIT_NAMES, type SplitName };

/** Sizes of a full dataset (`tune datasets generate optimizer`). */
export const FULL_SIZES: Readonly<Record<SplitName, number>> = { train: 10000, val: 2000, test: 2000 };
/** Sizes generated on demand before tuning: enough for 2-epoch trials on 2 cores. */
export const TUNING_SIZES: Readonly<Record<SplitName, number>> = { train: 2000, val: 400, test: 400 };
export const DEFAULT_SEED = 42;

export interface GenerateProgress {
  readonly split: SplitName;
  readonly done: number;
  readonly total: number;
}

export interface GenerateOptions {
  /** Output folder, e.g. `datasets/optimizer`; created if missing. */
  readonly dir: string;
  readonly train?: number;
  readonly val?: number;
  readonly test?: number;
  readonly seed?: number;
  readonly onProgress?: (p: GenerateProgress) => void;
}

export interface SplitManifest {
  readonly file: string;
  readonly nCircuits: number;
  readonly nNodes: number;
  readonly nEdges: number;
  /** Circuit generation, features and labels. */
  readonly generateMs: number;
  /** Validation and HDF5 writing. */
  readonly writeMs: number;
}

/** `manifest.json`: what was generated, how, and how long it took. */
export interface DatasetManifest extends ManifestBase {
  readonly splits: Readonly<Record<SplitName, SplitManifest>>;
  readonly totalMs: number;
  readonly circuitsPerMinute: number;
}

function checkCount(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`\`${field}\`: expected a positive integer number of circuits, got ${value}`, { code: 'USAGE' });
  }
  return value;
}

/**
 * Generates the three splits (distinct seeds derived from `seed` and the split name) and the manifest.
 * Each file is written under a temporary name and renamed, so an interrupted run never leaves a half file.
 *
 * @example
 * await generateDatasets({ dir: 'datasets/optimizer', train: 10000, val: 2000, test: 2000, seed: 42 });
 */
export async function generateDatasets(opts: GenerateOptions): Promise<DatasetManifest> {
  const sizes: Record<SplitName, number> = {
    train: checkCount('train', opts.train ?? FULL_SIZES.train),
    val: checkCount('val', opts.val ?? FULL_SIZES.val),
    test: checkCount('test', opts.test ?? FULL_SIZES.test),
  };
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new ConfigError(`\`seed\`: expected an integer, got ${seed}`, { code: 'USAGE' });
  mkdirSync(opts.dir, { recursive: true });
  // One labeller for all splits: its memo of (multDepth, nNodes, nMults) → labels is shared.
  const labeller = createLabeller();
  const start = performance.now();
  const splits = {} as Record<SplitName, SplitManifest>;
  for (const name of SPLIT_NAMES) {
    const t0 = performance.now();
    const split = buildSplit({
      nCircuits: sizes[name],
      seed,
      split: name,
      labeller,
      onProgress: opts.onProgress ? (done, total) => opts.onProgress?.({ split: name, done, total }) : undefined,
    });
    const t1 = performance.now();
    const file = `${name}.h5`;
    await writeSplit(join(opts.dir, file), split, { seed, split: name });
    const nNodes = split.nodeOffsets[split.nCircuits];
    const nEdges = split.edgeOffsets[split.nCircuits];
    splits[name] = { file, nCircuits: split.nCircuits, nNodes, nEdges, generateMs: t1 - t0, writeMs: performance.now() - t1 };
  }
  const totalMs = performance.now() - start;
  const total = sizes.train + sizes.val + sizes.test;
  const manifest: DatasetManifest = {
    formatVersion: FORMAT_VERSION,
    seed,
    parzenVersion: codeVersion(),
    createdAt: new Date().toISOString(),
    source: 'generated: random arithmetic circuits labelled by the lattice estimator (src/lattice/)',
    splits,
    totalMs,
    circuitsPerMinute: (total / totalMs) * 60000,
  };
  await writeManifest(opts.dir, manifest);
  return manifest;
}

/**
 * Keeps valid existing splits (whatever their size or seed); generates all three (default: `TUNING_SIZES`)
 * when any is missing or fails validation.
 *
 * @example
 * const { generated, reason } = await ensureDatasets('datasets/optimizer');
 */
export async function ensureDatasets(dir: string, opts: Omit<GenerateOptions, 'dir'> = {}): Promise<EnsureResult<DatasetManifest>> {
  return ensureDataset({
    findProblem: () => findProblem(dir),
    generate: () =>
      generateDatasets({
        dir,
        train: opts.train ?? TUNING_SIZES.train,
        val: opts.val ?? TUNING_SIZES.val,
        test: opts.test ?? TUNING_SIZES.test,
        seed: opts.seed,
        onProgress: opts.onProgress,
      }),
  });
}

/** The first reason a split in `dir` is unusable, or null when all three read and validate. */
async function findProblem(dir: string): Promise<string | null> {
  for (const name of SPLIT_NAMES) {
    const path = join(dir, `${name}.h5`);
    if (!existsSync(path)) return `${path} is missing`;
    await readSplit(path);
  }
  return null;
}
