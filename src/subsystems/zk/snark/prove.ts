/**
 * Proving and verifying one training step with Groth16 or PLONK (snarkjs). The witness is computed by the circuit's own
 * WebAssembly calculator, which refuses inputs that violate a constraint (a wrong update, a commitment that does
 * not match): that is a WitnessError naming the template. `groth16.prove` itself does not check the witness, so a
 * forged witness file yields a proof that the verifier rejects.
 */
import type { CircuitKeys } from '../artifacts/setup.js';
import { ProofGenerationError, WitnessError } from '../errors.js';
import { loadSnarkjs, type MemFile, type SnarkProof } from './snarkjs.js';

/** Signal name → decimal field elements, as the witness calculator takes them. */
export type WitnessInput = Readonly<Record<string, string | readonly string[] | readonly (readonly string[])[]>>;

export interface StepProof {
  readonly proof: SnarkProof;
  /** cOld, cNew, cBatch, lr as decimal field elements (the circuit's public inputs, in order). */
  readonly publicSignals: readonly string[];
  readonly witnessMs: number;
  readonly proveMs: number;
}

const TEMPLATE = /Error in template (\w+) line: (\d+)/;

/** The witness of `input` in memory; WitnessError when the inputs violate the circuit. */
export async function computeWitness(keys: CircuitKeys, input: WitnessInput): Promise<MemFile> {
  const snarkjs = await loadSnarkjs();
  const wtns: MemFile = { type: 'mem' };
  try {
    await snarkjs.wtns.calculate(input, keys.circuit.wasm, wtns);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = TEMPLATE.exec(message);
    throw new WitnessError(
      `the step's inputs violate the circuit${m !== null ? ` (template ${m[1]}, line ${m[2]} of the circuit source)` : ''}: ${message.split('\n')[0]}; ` +
        'the update, a commitment or a value does not match what the circuit proves',
      { template: m?.[1] ?? null, line: m !== null ? Number(m[2]) : null, cause: e },
    );
  }
  return wtns;
}

const SYSTEM_NAME = { groth16: 'Groth16', plonk: 'PLONK' } as const;

/** A proof of a computed witness in the keys' system; ProofGenerationError (retryable) when snarkjs fails. */
export async function proveWitness(keys: CircuitKeys, wtns: MemFile): Promise<{ proof: SnarkProof; publicSignals: string[] }> {
  const snarkjs = await loadSnarkjs();
  try {
    return await snarkjs[keys.system].prove(keys.zkey, wtns);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ProofGenerationError(`${SYSTEM_NAME[keys.system]} proving failed for ${keys.zkey}: ${message}`, { retryable: true, cause: e });
  }
}

/** Witness, then proof, timed. */
export async function proveStep(keys: CircuitKeys, input: WitnessInput): Promise<StepProof> {
  const t0 = performance.now();
  const wtns = await computeWitness(keys, input);
  const t1 = performance.now();
  const { proof, publicSignals } = await proveWitness(keys, wtns);
  return { proof, publicSignals, witnessMs: t1 - t0, proveMs: performance.now() - t1 };
}

/**
 * Whether `proof` proves the statement with these public signals under the verification key. The system is the
 * key's own (`protocol`), so a proof cannot be checked under the other system's rules.
 */
export async function verifyStep(vkey: CircuitKeys['vkey'], publicSignals: readonly string[], proof: SnarkProof): Promise<boolean> {
  const snarkjs = await loadSnarkjs();
  const system = vkey['protocol'] === 'plonk' ? 'plonk' : 'groth16';
  if (proof['protocol'] !== undefined && proof['protocol'] !== system) return false;
  try {
    return await snarkjs[system].verify(vkey, publicSignals, proof);
  } catch {
    // A malformed proof (a forged file with missing or non-numeric fields) makes snarkjs throw: it does not verify.
    return false;
  }
}

/**
 * A proof's size as the verifier needs it: 64 bytes per G1 point and 128 per G2 point (affine, uncompressed) and 32
 * per field element — Groth16 256 bytes (A, C in G1, B in G2), PLONK 768 (9 G1 points, 6 evaluations).
 */
export function proofBytes(proof: SnarkProof): number {
  let n = 0;
  for (const [k, v] of Object.entries(proof)) {
    if (k === 'protocol' || k === 'curve') continue;
    if (!Array.isArray(v)) n += 32;
    else n += Array.isArray(v[0]) ? 128 : 64;
  }
  return n;
}
