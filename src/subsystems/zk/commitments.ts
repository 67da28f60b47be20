/**
 * Poseidon commitments, computed with circomlibjs exactly as the circuit's circomlib Poseidon does: weights
 * Poseidon(w_0 … w_d, salt) (the salt hides the weights from whoever sees only the public inputs), a batch as the
 * chain h_i = Poseidon(h_(i−1), x_i, y_i) from h_0 = 0. Loaded lazily (circomlibjs builds its tables on first use).
 */
import { toField } from './fixed-point.js';

interface PoseidonFn {
  (inputs: readonly bigint[]): unknown;
  readonly F: { readonly p: bigint; toObject(e: unknown): bigint };
}

/** The hash and the field prime, from one circomlibjs instance. */
export interface Hasher {
  readonly p: bigint;
  hash(inputs: readonly bigint[]): bigint;
}

let hasher: Promise<Hasher> | undefined;

export function loadHasher(): Promise<Hasher> {
  // A specifier held in a variable: circomlibjs ships no type declarations; PoseidonFn types what is used.
  const specifier = 'circomlibjs';
  hasher ??= import(specifier).then(async (m: { buildPoseidon(): Promise<PoseidonFn> }) => {
    const poseidon = await m.buildPoseidon();
    const p = poseidon.F.p;
    return { p, hash: (inputs) => poseidon.F.toObject(poseidon(inputs.map((v) => toField(v, p)))) };
  });
  return hasher;
}

export function weightCommitment(h: Hasher, w: readonly bigint[], salt: bigint): bigint {
  return h.hash([...w, salt]);
}

export function batchCommitment(h: Hasher, x: readonly (readonly bigint[])[], y: readonly bigint[]): bigint {
  let acc = 0n;
  x.forEach((row, i) => {
    acc = h.hash([acc, ...row, y[i]]);
  });
  return acc;
}
