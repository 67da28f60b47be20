/**
 * Powers of tau (the circuit-independent half of a Groth16/PLONK setup), generated on this machine: a new
 * accumulator, one contribution with fresh randomness, and the phase-2 preparation (which dominates the time).
 * A locally generated file proves nothing to a third party who did not take part: whoever ran it could have kept
 * the randomness and forge proofs. Production uses a public ceremony's file (`--ptau FILE`, e.g. the Hermez
 * `powersOfTau28_hez_final_NN.ptau`).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSnarkjs, releaseSnarkjs } from './snarkjs.js';

/** Said wherever a locally generated setup is used. */
export const LOCAL_SETUP_WARNING =
  'the powers of tau are generated on this machine (once, then cached): its proofs convince only someone who trusts this machine; ' +
  "for proofs a third party can trust give a public ceremony's file (`tune datasets prepare zk --ptau FILE`, or PARZEN_ZK_PTAU=FILE for `tune`)";

/** The environment variable that gives `tune` (which has no subsystem flags) a supplied powers of tau file. */
export const PTAU_ENV = 'PARZEN_ZK_PTAU';

/**
 * The least power generated locally: 2^13 holds every Groth16 circuit of the default space (the largest, LoRA at
 * d = 4, batch 4, F = 16, has 5,020 constraints), so a fresh machine generates one file for the whole study instead
 * of a 2^12 one first and a 2^13 one later. A supplied ptau of any power that fits is used as it is.
 */
export const LOCAL_PTAU_MIN_POWER = 13;

/** The smallest power p with 2^p ≥ the constraints a circuit needs (Groth16 also counts its public inputs + 1). */
export function ptauPowerFor(nConstraints: number, nPublic: number): number {
  const needed = nConstraints + nPublic + 1;
  let p = 1;
  while (2 ** p < needed) p++;
  return Math.max(p, 8);
}

/**
 * Writes a prepared ptau of `power` to `path` (atomically: a temporary file is renamed in place, so two processes
 * making the same file never read a half-written one).
 */
export async function generatePtau(path: string, power: number, log: (m: string) => void = () => undefined): Promise<void> {
  const snarkjs = await loadSnarkjs();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp);
  try {
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    log(`powers of tau 2^${power}: new accumulator`);
    await snarkjs.powersOfTau.newAccumulator(curve, power, join(tmp, '0.ptau'));
    log(`powers of tau 2^${power}: contribution`);
    await snarkjs.powersOfTau.contribute(join(tmp, '0.ptau'), join(tmp, '1.ptau'), 'parzen local', randomBytes(32).toString('hex'));
    log(`powers of tau 2^${power}: phase-2 preparation (the slow part)`);
    await snarkjs.powersOfTau.preparePhase2(join(tmp, '1.ptau'), join(tmp, 'final.ptau'));
    renameSync(join(tmp, 'final.ptau'), path);
  } finally {
    await releaseSnarkjs();
    rmSync(tmp, { recursive: true, force: true });
  }
}
