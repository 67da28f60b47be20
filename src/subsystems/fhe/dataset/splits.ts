/**
 * Seeded train/validation/test split (stratified by label, so the small validation split keeps both classes)
 * and standardisation fitted on the training split only, applied to all three.
 */
import { Rng } from '../../../util/rng.js';
import type { LabelledTable } from './csv-table.js';

export interface Split {
  readonly x: Float64Array[];
  readonly y: Uint8Array;
}

export interface Standardiser {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export const SPLIT_FRACTIONS = { val: 0.15, test: 0.2 } as const;

function shuffle(indices: number[], rng: Rng): number[] {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices;
}

/** Row indices of each split, stratified by class, drawn from `seed`. */
export function splitIndices(y: Uint8Array, seed: number): { train: number[]; val: number[]; test: number[] } {
  const rng = new Rng(seed, 0x57a7);
  const out = { train: [] as number[], val: [] as number[], test: [] as number[] };
  for (const cls of [0, 1]) {
    const idx = shuffle(Array.from(y.keys()).filter((i) => y[i] === cls), rng);
    const nTest = Math.round(idx.length * SPLIT_FRACTIONS.test);
    const nVal = Math.round(idx.length * SPLIT_FRACTIONS.val);
    out.test.push(...idx.slice(0, nTest));
    out.val.push(...idx.slice(nTest, nTest + nVal));
    out.train.push(...idx.slice(nTest + nVal));
  }
  for (const k of ['train', 'val', 'test'] as const) shuffle(out[k], rng);
  return out;
}

/** Mean and (population) standard deviation of each feature; a constant feature gets std 1. */
export function fitStandardiser(x: readonly Float64Array[]): Standardiser {
  const d = x[0].length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / x.length;
  for (const row of x) for (let j = 0; j < d; j++) std[j] += (row[j] - mean[j]) ** 2 / x.length;
  return { mean, std: std.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

export function standardise(s: Standardiser, x: readonly Float64Array[]): Float64Array[] {
  return x.map((row) => Float64Array.from(row, (v, j) => (v - s.mean[j]) / s.std[j]));
}

/** The three splits, standardised with statistics of the training split. */
export function splitAndStandardise(t: LabelledTable, seed: number): { train: Split; val: Split; test: Split; standardiser: Standardiser } {
  const idx = splitIndices(t.y, seed);
  const pick = (rows: number[]): Split => ({ x: rows.map((i) => t.x[i]), y: Uint8Array.from(rows, (i) => t.y[i]) });
  const raw = { train: pick(idx.train), val: pick(idx.val), test: pick(idx.test) };
  const standardiser = fitStandardiser(raw.train.x);
  const apply = (s: Split): Split => ({ x: standardise(standardiser, s.x), y: s.y });
  return { train: apply(raw.train), val: apply(raw.val), test: apply(raw.test), standardiser };
}
