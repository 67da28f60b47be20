/**
 * Kim et al.'s packing: a block of R = slots/F rows, row i in slots [i·F, (i+1)·F), F = the signed row length
 * (bias + features) rounded up to a power of two; rows past the data and columns past the features are zero,
 * so they add nothing to inner products or gradients. A weight vector is replicated into every row segment.
 */
import { ConfigError } from '../../../errors.js';

export interface Packing {
  readonly slots: number;
  /** Slots per row, a power of two ≥ bias + features. */
  readonly rowSlots: number;
  readonly rowsPerBlock: number;
}

export function packing(slots: number, rowLength: number): Packing {
  const rowSlots = 2 ** Math.ceil(Math.log2(Math.max(rowLength, 2)));
  if (rowSlots > slots / 2) {
    throw new ConfigError(
      `poly_modulus_degree: ${2 * slots} packs rows of at most ${slots / 2} slots, two to a ciphertext; these rows hold ${rowLength} values (bias + ${rowLength - 1} features) — ` +
        'use a larger poly_modulus_degree or fewer features',
    );
  }
  return { slots, rowSlots, rowsPerBlock: slots / rowSlots };
}

/** The rows cut into blocks of R, each a slot vector. */
export function packBlocks(p: Packing, rows: readonly Float64Array[]): Float64Array[] {
  const blocks: Float64Array[] = [];
  for (let start = 0; start < rows.length; start += p.rowsPerBlock) {
    const block = new Float64Array(p.slots);
    rows.slice(start, start + p.rowsPerBlock).forEach((row, i) => block.set(row, i * p.rowSlots));
    blocks.push(block);
  }
  return blocks;
}

/** w copied into every row segment. */
export function replicate(p: Packing, w: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.slots);
  for (let i = 0; i < p.rowsPerBlock; i++) for (let j = 0; j < w.length; j++) out[i * p.rowSlots + j] = w[j];
  return out;
}

/** 1 at each row's first slot: keeps the finished inner product, drops the partial sums beside it. */
export function rowStartMask(p: Packing): Float64Array {
  const out = new Float64Array(p.slots);
  for (let i = 0; i < p.rowsPerBlock; i++) out[i * p.rowSlots] = 1;
  return out;
}

const powersOfTwoBelow = (limit: number): number[] => Array.from({ length: Math.log2(limit) }, (_, i) => 2 ** i);

/** Rotation steps: sum along a row (1, 2, … F/2), copy the sum back along it (−1, −2, …), sum over rows (F, 2F, … slots/2). */
export function rotationSteps(p: Packing): { rowSum: number[]; replicate: number[]; blockSum: number[] } {
  const inRow = powersOfTwoBelow(p.rowSlots);
  return { rowSum: inRow, replicate: inRow.map((s) => -s), blockSum: powersOfTwoBelow(p.rowsPerBlock).map((s) => s * p.rowSlots) };
}

export function allRotationSteps(p: Packing): number[] {
  const s = rotationSteps(p);
  return [...s.rowSum, ...s.replicate, ...s.blockSum];
}
