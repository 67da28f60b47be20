/**
 * Packing for the poly-network (network.ts): a row takes a segment of S = H·F slots, H sub-segments of F slots
 * (F = bias + features rounded up to a power of two, H a power of two), each holding the same row; unit k's weights
 * u_k sit in sub-segment k of every segment and v_k at its first slot, so one product and a rotate-and-add along F
 * gives every unit's pre-activation t_k at sub-segment k's first slot. Blocks hold slots/S rows.
 */
import { ConfigError } from '../../../errors.js';

export interface NetworkPacking {
  readonly slots: number;
  /** F: slots per sub-segment, a power of two ≥ bias + features. */
  readonly rowSlots: number;
  readonly hidden: number;
  /** S = hidden · rowSlots: slots per row. */
  readonly segment: number;
  readonly rowsPerBlock: number;
  /** Bias + features. */
  readonly inputs: number;
}

export function networkPacking(slots: number, inputs: number, hidden: number): NetworkPacking {
  if (!Number.isInteger(Math.log2(hidden))) throw new RangeError(`hidden width ${hidden} is not a power of two`);
  const rowSlots = 2 ** Math.ceil(Math.log2(Math.max(inputs, 2)));
  const segment = rowSlots * hidden;
  if (segment > slots / 2) {
    throw new ConfigError(
      `poly_modulus_degree: ${2 * slots} packs network rows of at most ${slots / 2} slots, two to a ciphertext; rows of ${inputs} values (bias + ${inputs - 1} features) × hidden_width ${hidden} take ${segment} — ` +
        'use poly_modulus_degree 16384, a smaller hidden_width, or fewer features',
    );
  }
  return { slots, rowSlots, hidden, segment, rowsPerBlock: slots / segment, inputs };
}

/** The owner's two slot vectors per block: x̃_i = (1, x_i) and z_i = y_i·x̃_i, each repeated in the H sub-segments. */
export function packNetworkBlocks(p: NetworkPacking, signedRows: readonly Float64Array[]): { x: Float64Array[]; z: Float64Array[] } {
  const x: Float64Array[] = [];
  const z: Float64Array[] = [];
  for (let start = 0; start < signedRows.length; start += p.rowsPerBlock) {
    const bx = new Float64Array(p.slots);
    const bz = new Float64Array(p.slots);
    signedRows.slice(start, start + p.rowsPerBlock).forEach((row, i) => {
      const y = row[0];
      for (let k = 0; k < p.hidden; k++) {
        const at = i * p.segment + k * p.rowSlots;
        bz.set(row, at);
        for (let j = 0; j < row.length; j++) bx[at + j] = y * row[j];
      }
    });
    x.push(bx);
    z.push(bz);
  }
  return { x, z };
}

/** Flattened parameters [u_1 … u_H, v_1 … v_H] as the two replicated slot vectors (U, v). */
export function packNetworkParams(p: NetworkPacking, params: ArrayLike<number>): { u: Float64Array; v: Float64Array } {
  const u = new Float64Array(p.slots);
  const v = new Float64Array(p.slots);
  const vAt = p.hidden * p.inputs;
  for (let i = 0; i < p.rowsPerBlock; i++) {
    for (let k = 0; k < p.hidden; k++) {
      const at = i * p.segment + k * p.rowSlots;
      for (let j = 0; j < p.inputs; j++) u[at + j] = params[k * p.inputs + j];
      v[at] = params[vAt + k];
    }
  }
  return { u, v };
}

/** The parameters back from segment 0 of the decrypted U and v. */
export function unpackNetworkParams(p: NetworkPacking, u: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.hidden * (p.inputs + 1));
  const vAt = p.hidden * p.inputs;
  for (let k = 0; k < p.hidden; k++) {
    for (let j = 0; j < p.inputs; j++) out[k * p.inputs + j] = u[k * p.rowSlots + j];
    out[vAt + k] = v[k * p.rowSlots];
  }
  return out;
}

/** `value` at every segment's first slot. */
export function segmentStartMask(p: NetworkPacking, value = 1): Float64Array {
  const out = new Float64Array(p.slots);
  for (let i = 0; i < p.rowsPerBlock; i++) out[i * p.segment] = value;
  return out;
}

/** `value` at every sub-segment's first slot (where v_k lives): keeps the output weights, drops what lies between. */
export function unitStartMask(p: NetworkPacking, value = 1): Float64Array {
  const out = new Float64Array(p.slots);
  for (let i = 0; i < p.slots; i += p.rowSlots) out[i] = value;
  return out;
}

const powersOfTwo = (from: number, below: number): number[] => {
  const out: number[] = [];
  for (let s = from; s < below; s *= 2) out.push(s);
  return out;
};

/**
 * Rotation steps: along a sub-segment (1 … F/2) and back (−1 … −F/2), over the units of a segment (F … S/2) and
 * back (−F … −S/2), over the rows (S … slots/2).
 */
export function networkRotationSteps(p: NetworkPacking): { inUnit: number[]; replicateInUnit: number[]; overUnits: number[]; replicateOverUnits: number[]; overRows: number[] } {
  const inUnit = powersOfTwo(1, p.rowSlots);
  const overUnits = powersOfTwo(p.rowSlots, p.segment);
  return {
    inUnit,
    replicateInUnit: inUnit.map((s) => -s),
    overUnits,
    replicateOverUnits: overUnits.map((s) => -s),
    overRows: powersOfTwo(p.segment, p.slots),
  };
}

export function allNetworkRotationSteps(p: NetworkPacking): number[] {
  const s = networkRotationSteps(p);
  return [...s.inUnit, ...s.replicateInUnit, ...s.overUnits, ...s.replicateOverUnits, ...s.overRows];
}
