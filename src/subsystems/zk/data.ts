/**
 * The training data as the circuit sees it: the first `nFeatures` features standardised with the training split's
 * mean and deviation, and every value in fixed point. Standardising keeps features within a few units, far inside
 * the circuit's ±256.
 */
import { join } from 'node:path';
import { DatasetError } from '../../errors.js';
import type { FixedFormat } from './fixed-point.js';
import { toFixed } from './fixed-point.js';
import { readSplit, type Table } from './dataset/tabular.js';
import type { Standardisation } from './proof-store.js';

export interface FixedSplit {
  /** Rows of fixed-point features. */
  readonly x: readonly (readonly bigint[])[];
  readonly y: readonly bigint[];
  /** The same as floats (for losses). */
  readonly xf: readonly (readonly number[])[];
  readonly yf: readonly number[];
}

export interface ZkData {
  readonly train: FixedSplit;
  readonly val: FixedSplit;
  readonly standardisation: Standardisation;
  readonly columns: readonly string[];
}

export function standardisationOf(t: Table, nFeatures: number): Standardisation {
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < nFeatures; j++) {
    const col = t.rows.map((r) => r[j]);
    const m = col.reduce((a, b) => a + b, 0) / col.length;
    const s = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / col.length);
    mean.push(m);
    std.push(s > 0 ? s : 1);
  }
  return { mean, std };
}

/** Row `r` of `t` standardised and in fixed point: features then the target. */
export function fixedRow(t: Table, r: number, st: Standardisation, f: FixedFormat, split: string): bigint[] {
  const row = t.rows[r];
  const xs = st.mean.map((m, j) => toFixed((row[j] - m) / st.std[j], f, `${split} row ${r + 1}, ${t.columns[j]}`));
  return [...xs, toFixed(row[row.length - 1], f, `${split} row ${r + 1}, ${t.columns[row.length - 1]}`)];
}

function fixedSplit(t: Table, st: Standardisation, f: FixedFormat, split: string): FixedSplit {
  const rows = t.rows.map((_, r) => fixedRow(t, r, st, f, split));
  const scale = 2 ** f.fracBits;
  return {
    x: rows.map((r) => r.slice(0, -1)),
    y: rows.map((r) => r[r.length - 1]),
    xf: rows.map((r) => r.slice(0, -1).map((v) => Number(v) / scale)),
    yf: rows.map((r) => Number(r[r.length - 1]) / scale),
  };
}

export function loadZkData(datasetsDir: string, nFeatures: number, f: FixedFormat): ZkData {
  const dir = join(datasetsDir, 'zk');
  const train = readSplit(dir, 'train');
  const val = readSplit(dir, 'val');
  if (train.columns.length - 1 < nFeatures) {
    throw new DatasetError(`${join(dir, 'train.csv')}: has ${train.columns.length - 1} features, n_features asks for ${nFeatures}; lower n_features`);
  }
  const st = standardisationOf(train, nFeatures);
  return { train: fixedSplit(train, st, f, 'train'), val: fixedSplit(val, st, f, 'val'), standardisation: st, columns: train.columns };
}

/** mean((w·x + b − y)²) in floating point, from fixed-point weights (bias last). */
export function mse(w: readonly bigint[], s: Pick<FixedSplit, 'xf' | 'yf'>, fracBits: number): number {
  const wf = w.map((v) => Number(v) / 2 ** fracBits);
  const d = wf.length - 1;
  let sum = 0;
  s.xf.forEach((row, i) => {
    const pred = row.reduce((a, x, j) => a + wf[j] * x, wf[d]);
    sum += (pred - s.yf[i]) ** 2;
  });
  return sum / s.yf.length;
}
