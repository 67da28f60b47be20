/**
 * The fhe dataset on disk: `<datasets>/fhe/{train,val,test}.json` (standardised rows and 0/1 labels) and a
 * manifest with the source, licence, feature names and the training split's standardisation. `prepare` builds the
 * shipped Wisconsin breast-cancer set when nothing valid is there, or the user's CSV when `--csv` is given.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomically } from '../../../data/atomic-write.js';
import { ensureDataset } from '../../../data/ensure.js';
import { readManifest, writeManifest, type ManifestBase } from '../../../data/manifest.js';
import { SPLIT_NAMES, type SplitName } from '../../../data/splits.js';
import { DatasetError } from '../../../errors.js';
import { codeVersion, PACKAGE_ROOT } from '../../../util/code-version.js';
import { readLabelledCsv } from './csv-table.js';
import { splitAndStandardise, type Split, type Standardiser } from './splits.js';

export const FORMAT_VERSION = 1;
export const DEFAULT_CSV = join(PACKAGE_ROOT, 'data', 'wdbc', 'wdbc.csv');
export const DEFAULT_LABEL = 'malignant';
const DEFAULT_SOURCE = 'UCI Breast Cancer Wisconsin (Diagnostic), https://doi.org/10.24432/C5DW2B (data/wdbc/wdbc.csv)';
const DEFAULT_LICENCE = 'CC BY 4.0 (data/wdbc/LICENCE.md)';

export interface FheManifest extends ManifestBase {
  readonly featureNames: readonly string[];
  readonly label: string;
  readonly positive: string;
  readonly rows: Readonly<Record<SplitName, number>>;
  readonly standardiser: Standardiser;
}

export interface BuildOptions {
  readonly dir: string;
  readonly seed: number;
  readonly csv?: string;
  readonly label?: string;
}

/** Reads, splits, standardises and writes; returns the manifest. */
export async function buildDataset(o: BuildOptions): Promise<FheManifest> {
  const csv = o.csv ?? DEFAULT_CSV;
  const label = o.label ?? DEFAULT_LABEL;
  const table = readLabelledCsv(csv, label);
  const s = splitAndStandardise(table, o.seed);
  mkdirSync(o.dir, { recursive: true });
  for (const name of SPLIT_NAMES) {
    const split = s[name];
    await writeTextAtomically(join(o.dir, `${name}.json`), JSON.stringify({ x: split.x.map((r) => Array.from(r)), y: Array.from(split.y) }));
  }
  const manifest: FheManifest = {
    formatVersion: FORMAT_VERSION,
    seed: o.seed,
    parzenVersion: codeVersion(),
    createdAt: new Date().toISOString(),
    source: o.csv === undefined ? DEFAULT_SOURCE : `user CSV ${o.csv}`,
    ...(o.csv === undefined ? { licence: DEFAULT_LICENCE } : {}),
    featureNames: table.featureNames,
    label,
    positive: table.positive,
    rows: { train: s.train.y.length, val: s.val.y.length, test: s.test.y.length },
    standardiser: s.standardiser,
  };
  await writeManifest(o.dir, manifest);
  return manifest;
}

/** Why the dataset in `dir` is unusable, or null. */
export async function findProblem(dir: string): Promise<string | null> {
  const m = readManifest<FheManifest>(dir);
  if (m === undefined) return `no manifest in ${dir}`;
  if (m.formatVersion !== FORMAT_VERSION) return `format ${m.formatVersion}, expected ${FORMAT_VERSION}`;
  for (const name of SPLIT_NAMES) if (!existsSync(join(dir, `${name}.json`))) return `${name}.json missing`;
  return null;
}

/** Builds the default dataset when missing or invalid; `--csv` always rebuilds from the user's file. */
export async function ensureFheDataset(o: BuildOptions): Promise<{ generated: boolean; reason: string | null }> {
  if (o.csv !== undefined) {
    await buildDataset(o);
    return { generated: true, reason: `built from --csv ${o.csv}` };
  }
  const r = await ensureDataset({ findProblem: () => findProblem(o.dir), generate: () => buildDataset(o) });
  return { generated: r.generated, reason: r.reason };
}

/** One split, checked against the manifest's feature count. */
export function readSplit(dir: string, name: SplitName): Split {
  const m = readManifest<FheManifest>(dir);
  if (m === undefined) throw new DatasetError(`${dir}: no fhe dataset; run \`tune datasets prepare fhe\``);
  const file = join(dir, `${name}.json`);
  let raw: { x: number[][]; y: number[] };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as { x: number[][]; y: number[] };
  } catch (cause) {
    throw new DatasetError(`${file}: unreadable (${(cause as Error).message}); run \`tune datasets prepare fhe\` again`, { cause });
  }
  const d = m.featureNames.length;
  raw.x.forEach((row, i) => {
    if (row.length !== d) throw new DatasetError(`${file}: row ${i} has ${row.length} features, the manifest says ${d}`, { code: 'SHAPE' });
  });
  return { x: raw.x.map((r) => Float64Array.from(r)), y: Uint8Array.from(raw.y) };
}
