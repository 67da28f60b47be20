/**
 * The zk subsystem's data: a small real tabular regression, split 70/15/15 by a seeded shuffle and kept as three
 * CSV files (features…, target) with a manifest. The default is four features of the UCI Breast Cancer Wisconsin
 * (Diagnostic) data (CC BY 4.0), shipped in the package (breast-cancer-data.ts), target malignant = 1; `tune datasets
 * prepare zk --csv FILE` takes the user's own CSV instead (a header row, numeric columns, the target last). Features
 * are standardised with the training split's mean and deviation when loaded, so the fixed-point circuit's range holds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomically } from '../../../data/atomic-write.js';
import { ensureDataset, type EnsureResult } from '../../../data/ensure.js';
import { writeManifest, type ManifestBase } from '../../../data/manifest.js';
import { SPLIT_NAMES, type SplitName } from '../../../data/splits.js';
import { DatasetError } from '../../../errors.js';
import { codeVersion } from '../../../util/code-version.js';
import { Rng } from '../../../util/rng.js';

export interface Table {
  readonly columns: readonly string[];
  /** Rows of features then the target. */
  readonly rows: readonly (readonly number[])[];
}

export const DEFAULT_COLUMNS = ['worst_concave_points', 'worst_texture', 'worst_radius', 'worst_smoothness', 'malignant'];
export const DEFAULT_SOURCE = 'UCI Breast Cancer Wisconsin (Diagnostic), 569 rows, 4 of 30 features (scikit-learn copy)';
export const DEFAULT_LICENCE = 'CC BY 4.0 — Wolberg, Mangasarian, Street & Street (1993), https://doi.org/10.24432/C5DW2B';

export function parseCsv(path: string, text: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 3) throw new DatasetError(`${path}: needs a header row and at least 2 data rows`);
  const columns = lines[0].split(',').map((c) => c.trim());
  if (columns.length < 2) throw new DatasetError(`${path}: needs at least one feature column and the target (last)`);
  const rows = lines.slice(1).map((l, i) => {
    const v = l.split(',').map((c) => Number(c.trim()));
    if (v.length !== columns.length || v.some((x) => !Number.isFinite(x))) {
      throw new DatasetError(`${path}: line ${i + 2}: expected ${columns.length} numbers, got '${l}'`);
    }
    return v;
  });
  return { columns, rows };
}

function toCsv(t: Table): string {
  return `${t.columns.join(',')}\n${t.rows.map((r) => r.join(',')).join('\n')}\n`;
}

async function writeSplits(dir: string, t: Table, seed: number, source: string, licence: string | undefined): Promise<ManifestBase> {
  const order = new Rng(seed, 0x7a6b).shuffle(t.rows.map((_, i) => i));
  const nTrain = Math.round(order.length * 0.7);
  const nVal = Math.round(order.length * 0.15);
  const parts: Record<SplitName, number[]> = { train: order.slice(0, nTrain), val: order.slice(nTrain, nTrain + nVal), test: order.slice(nTrain + nVal) };
  for (const split of SPLIT_NAMES) await writeTextAtomically(join(dir, `${split}.csv`), toCsv({ columns: t.columns, rows: parts[split].map((i) => t.rows[i]) }));
  const manifest = { formatVersion: 1, seed, parzenVersion: codeVersion(), createdAt: new Date().toISOString(), source, ...(licence !== undefined ? { licence } : {}), columns: t.columns, sizes: Object.fromEntries(SPLIT_NAMES.map((s) => [s, parts[s].length])) };
  await writeManifest(dir, manifest);
  return manifest;
}

export function readSplit(dir: string, split: SplitName): Table {
  const path = join(dir, `${split}.csv`);
  if (!existsSync(path)) throw new DatasetError(`${path}: file not found; run \`tune datasets prepare zk\``);
  return parseCsv(path, readFileSync(path, 'utf8'));
}

/** The default dataset (or the user's `csv`) under `dir`, written only when missing or unreadable. */
export async function ensureTabular(dir: string, seed: number, csv?: string): Promise<EnsureResult<ManifestBase>> {
  const build = async (): Promise<ManifestBase> => {
    if (csv !== undefined) {
      if (!existsSync(csv)) throw new DatasetError(`--csv ${csv}: file not found`);
      return writeSplits(dir, parseCsv(csv, readFileSync(csv, 'utf8')), seed, `user CSV ${csv}`, undefined);
    }
    const { BREAST_CANCER_ROWS } = await import('./breast-cancer-data.js');
    return writeSplits(dir, { columns: DEFAULT_COLUMNS, rows: BREAST_CANCER_ROWS }, seed, DEFAULT_SOURCE, DEFAULT_LICENCE);
  };
  if (csv !== undefined) return { generated: true, reason: `--csv ${csv}`, manifest: await build() };
  return ensureDataset({
    findProblem: async () => {
      for (const split of SPLIT_NAMES) readSplit(dir, split);
      return null;
    },
    generate: build,
  });
}
