/**
 * A size model, in bytes, for a lattice-based proof that a circuit was evaluated correctly on RLWE
 * ciphertexts with parameters (n, log2 q).
 *
 * Shape: a commitment digest, a Merkle authentication path to the gate being opened, and an opening whose
 * length follows the square-root law of sub-linear lattice arguments — Baum, Bootle, Cerulli, del Pino, Groth
 * and Lyubashevsky (CRYPTO 2018, "Sub-linear lattice-based zero-knowledge arguments for arithmetic circuits")
 * prove N-gate circuits with O(√(N·λ·log³N)) communication. Here the committed witness is the evaluated
 * output ciphertext component, W = n·log2 q bits, and the opening is √(W·λ) bits. This is a model of how the
 * size scales (n·log q under a square root, log of the gate count), not the exact size of one protocol.
 */

/** Bytes of one hash (SHA-256) in the commitment and the authentication path. */
export const HASH_BYTES = 32;

export interface ProofSizeInput {
  /** Ring dimension of the RLWE parameters. */
  readonly n: number;
  /** log2 of the modulus. */
  readonly logQ: number;
  /** Gates of the circuit (leaves of the Merkle tree). */
  readonly nGates: number;
  /** Security parameter λ in bits. */
  readonly securityBits: number;
}

/**
 * Modelled proof size in bytes: 32·(1 + ⌈log2 nGates⌉) + ⌈√(n·log2 q·λ) / 8⌉.
 *
 * @example
 * proofSizeBytes({ n: 16384, logQ: 330, nGates: 250, securityBits: 128 }); // ≈ 3.6 kB
 */
export function proofSizeBytes(input: ProofSizeInput): number {
  const pathBytes = HASH_BYTES * Math.ceil(Math.log2(Math.max(2, input.nGates)));
  const openingBits = Math.sqrt(input.n * input.logQ * input.securityBits);
  return HASH_BYTES + pathBytes + Math.ceil(openingBits / 8);
}
