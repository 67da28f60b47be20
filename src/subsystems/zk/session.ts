/**
 * A proving session: the circuit and keys of one shape (compiled and set up at first use, from the cache), the
 * proof folder it writes, and `proveAndStore`, which proves a prepared step (retrying retryable failures), verifies
 * the proof at once and writes it with its public inputs and timings.
 */
import { circuitKey, ensureCircuit } from './artifacts/compile.js';
import { ensureGroth16Keys, type CircuitKeys } from './artifacts/setup.js';
import type { CircuitShape } from './circuit/sgd-linear-circom.js';
import { loadHasher, type Hasher } from './commitments.js';
import { ProofGenerationError } from './errors.js';
import { writeStep, type StepRecord } from './proof-store.js';
import { LOCAL_SETUP_WARNING } from './snark/ptau.js';
import { proveStep, verifyStep } from './snark/prove.js';
import { withRetries, type RetryOptions } from './snark/retry.js';
import type { PreparedStep } from './step.js';

export interface ProvingSession {
  readonly keys: CircuitKeys;
  readonly hasher: Hasher;
  readonly circuitKey: string;
  /** What the setup is worth to a third party, for manifests and logs. */
  readonly setupNote: string;
  proveAndStore(dir: string, step: PreparedStep, at: { step: number; epoch: number }): Promise<StepRecord>;
}

/** A Groth16 proof's size as points on the curve: A, C in G1 and B in G2, 32 bytes per affine coordinate (256 in all). */
export function groth16ProofBytes(proof: Readonly<Record<string, unknown>>): number {
  const coords = (v: unknown): number => (Array.isArray(v) ? v.reduce((n: number, x: unknown) => n + coords(x), 0) : 1);
  // snarkjs writes projective points (a third coordinate, 1): the affine x and y are the first two.
  const affine = (v: unknown): number => (Array.isArray(v) ? coords(v.slice(0, 2)) : 0);
  return 32 * (affine(proof['pi_a']) + affine(proof['pi_b']) + affine(proof['pi_c']));
}

export async function openSession(o: { cacheDir: string; shape: CircuitShape; log: (m: string) => void; retry: RetryOptions }): Promise<ProvingSession> {
  const circuit = await ensureCircuit(o.cacheDir, o.shape, o.log);
  const keys = await ensureGroth16Keys(o.cacheDir, circuit, o.log);
  const hasher = await loadHasher();
  return {
    keys,
    hasher,
    circuitKey: circuitKey(o.shape),
    setupNote: keys.ptau.kind === 'local' ? LOCAL_SETUP_WARNING : `supplied powers of tau ${keys.ptau.path}`,
    proveAndStore: async (dir, prepared, at) => {
      const { value: p, attempts } = await withRetries(() => proveStep(keys, prepared.input), o.retry);
      const t0 = performance.now();
      const ok = await verifyStep(keys.vkey, p.publicSignals, p.proof);
      const verifyMs = performance.now() - t0;
      if (!ok) throw new ProofGenerationError(`step ${at.step}: the proof just made does not verify (${keys.zkey} and ${keys.vkeyPath} disagree; delete ${keys.circuit.dir} to redo the setup)`, { retryable: false });
      const record: StepRecord = {
        step: at.step,
        epoch: at.epoch,
        proof: p.proof,
        publicSignals: p.publicSignals,
        witnessMs: p.witnessMs,
        proveMs: p.proveMs,
        verifyMs,
        proofBytes: groth16ProofBytes(p.proof),
        attempts,
      };
      await writeStep(dir, record);
      return record;
    },
  };
}
