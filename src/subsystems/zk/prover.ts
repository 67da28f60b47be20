/**
 * The AutoProver: proves each training step, verifies the proof at once and stores it with its public inputs. It
 * chooses the circuit from the update itself — a witness that carries a frozen base and adapters (`base`, `theta`)
 * goes to the LoRA circuit, one that carries whole weights (`w`, `wNew`) to the full-SGD circuit of the model's loss —
 * and handles a failed proof by its policy (the reference team's auditor modes):
 *   fail-fast  one attempt; any failure ends training with its typed error
 *   retry      retryable failures (the prover crashed or was killed, not a witness that violates the circuit) are tried
 *              again after baseDelayMs·2^k (1 s, 2 s, 4 s, 8 s by default) up to maxAttempts, then RetriesExhaustedError
 *   continue   as retry, but a step that still fails is recorded as unproved (its error kept) and training goes on;
 *              the audit then names it
 *   fallback   as retry, then the step is proved with the other system instead — PLONK for a Groth16 run (the default),
 *              Groth16 for a `proof_system: plonk` one; keys set up at first need — another real proof system, never
 *              placeholder bytes; a witness that violates the circuit fails under every system
 * Counts (attempts, retries, failures, fallbacks) are kept for the trial's metrics. Each step's witness input is
 * stored privately beside its proof (proof-store.ts), so the audit can re-prove a step that failed (audit-repair.ts).
 */
import type { CircuitShape } from './circuit/shapes.js';
import { ensureKeys, type CircuitKeys, type ProofSystem } from './artifacts/setup.js';
import { ConfigError, ProofError } from '../../errors.js';
import { ProofGenerationError, WitnessError } from './errors.js';
import { writeStep, writeWitness, type StepRecord } from './proof-store.js';
import { LOCAL_SETUP_WARNING } from './snark/ptau.js';
import { proofBytes, proveStep, verifyStep, type WitnessInput } from './snark/prove.js';
import { withRetries } from './snark/retry.js';
import type { PreparedStep } from './step.js';

export type ProofPolicy = 'fail-fast' | 'retry' | 'continue' | 'fallback';
export const PROOF_POLICIES: readonly ProofPolicy[] = ['fail-fast', 'retry', 'continue', 'fallback'];

export interface ProverOptions {
  readonly cacheDir: string;
  readonly shape: CircuitShape;
  readonly policy: ProofPolicy;
  /** The system steps are proved with (default groth16); `fallback` tries the other one. */
  readonly system?: ProofSystem;
  /** Attempts per system for retryable failures (fail-fast: 1 whatever this says). */
  readonly maxAttempts: number;
  /** The first backoff delay; 1000 in training, small in tests. */
  readonly baseDelayMs: number;
  readonly signal?: AbortSignal;
  readonly log: (m: string) => void;
}

export interface ProverStats {
  /** Proof attempts made, over every system. */
  attempts: number;
  /** Attempts beyond the first per step. */
  retries: number;
  proved: number;
  /** Steps left unproved (policy continue). */
  failed: number;
  /** Steps proved with the other system after the run's failed (policy fallback). */
  fallbacks: number;
}

/** Which circuit family an update belongs to, from what it carries. */
export function updateKind(input: WitnessInput): 'full' | 'lora' {
  if ('theta' in input && 'thetaNew' in input && 'base' in input) return 'lora';
  if ('w' in input && 'wNew' in input) return 'full';
  throw new ConfigError('zk: the update carries neither whole weights (w, wNew) nor a frozen base with adapters (base, theta, thetaNew)');
}

/** The public inputs of a step from its witness input, in the circuit's order. */
function publicOf(input: WitnessInput): string[] {
  return ['cOld', 'cNew', 'cBatch', 'lr', 'cBase'].flatMap((k) => (typeof input[k] === 'string' ? [input[k]] : []));
}

const SYSTEM_NAME = { groth16: 'Groth16', plonk: 'PLONK' } as const;

/** The system a failed step falls back to. */
export function otherSystem(s: ProofSystem): ProofSystem {
  return s === 'groth16' ? 'plonk' : 'groth16';
}

export class AutoProver {
  readonly #o: ProverOptions;
  readonly #keys = new Map<ProofSystem, Promise<CircuitKeys>>();
  readonly stats: ProverStats = { attempts: 0, retries: 0, proved: 0, failed: 0, fallbacks: 0 };

  constructor(o: ProverOptions) {
    this.#o = o;
  }

  /** The system steps are proved with. */
  get system(): ProofSystem {
    return this.#o.system ?? 'groth16';
  }

  /** The circuit and keys of the prover's shape for `system` (compiled and set up at first use, from the cache). */
  keys(system: ProofSystem = this.system): Promise<CircuitKeys> {
    let k = this.#keys.get(system);
    if (k === undefined) {
      k = ensureKeys(this.#o.cacheDir, this.#o.shape, system, this.#o.log);
      this.#keys.set(system, k);
      k.catch(() => this.#keys.delete(system));
    }
    return k;
  }

  /** What the default setup is worth to a third party, for manifests and logs. */
  async setupNote(): Promise<string> {
    const k = await this.keys();
    return k.ptau.kind === 'local' ? LOCAL_SETUP_WARNING : `supplied powers of tau ${k.ptau.path}`;
  }

  /** Proves, verifies and stores step `at.step`; under `continue` a step that cannot be proved is stored as unproved. */
  async proveAndStore(dir: string, prepared: PreparedStep, at: { step: number; epoch: number }): Promise<StepRecord> {
    const kind = updateKind(prepared.input);
    if ((kind === 'lora') !== (this.#o.shape.model === 'lora')) {
      throw new ConfigError(`zk: a ${kind} update was given to the prover of the ${this.#o.shape.model} circuit`);
    }
    // Kept first, so a step that fails now can be re-proved later by `tune audit --mode retry|fallback`.
    await writeWitness(dir, at.step, prepared.input);
    const timing = { witnessMs: 0, proveMs: 0, verifyMs: 0 };
    let attempts = 0;
    let record: StepRecord;
    const count = (n: number): void => {
      attempts += n;
      this.stats.attempts += n;
      if (attempts > 1) this.stats.retries += n;
    };
    try {
      const r = await this.#proveWithPolicy(prepared.input, at.step, count, timing);
      record = { step: at.step, epoch: at.epoch, system: r.system, proof: r.proof, publicSignals: r.publicSignals, ...timing, proofBytes: proofBytes(r.proof), attempts };
      this.stats.proved++;
    } catch (e) {
      if (this.#o.policy !== 'continue' || !(e instanceof ProofError) || e instanceof WitnessError) throw e;
      this.stats.failed++;
      this.#o.log(`zk: step ${at.step} left unproved (policy continue): ${e.message}`);
      record = { step: at.step, epoch: at.epoch, system: null, proof: null, publicSignals: publicOf(prepared.input), ...timing, proofBytes: 0, attempts, error: { code: e.code, message: e.message } };
    }
    await writeStep(dir, record);
    return record;
  }

  async #proveWithPolicy(input: WitnessInput, step: number, count: (n: number) => void, timing: { witnessMs: number; proveMs: number; verifyMs: number }) {
    try {
      return await this.#proveIn(this.system, input, step, count, timing);
    } catch (e) {
      if (this.#o.policy !== 'fallback' || e instanceof WitnessError || !(e instanceof ProofError)) throw e;
      const other = otherSystem(this.system);
      this.#o.log(`zk: step ${step}: ${SYSTEM_NAME[this.system]} failed (${e.message}); proving it with ${SYSTEM_NAME[other]} (policy fallback)`);
      const r = await this.#proveIn(other, input, step, count, timing);
      this.stats.fallbacks++;
      return r;
    }
  }

  async #proveIn(system: ProofSystem, input: WitnessInput, step: number, count: (n: number) => void, timing: { witnessMs: number; proveMs: number; verifyMs: number }) {
    const keys = await this.keys(system);
    const maxAttempts = this.#o.policy === 'fail-fast' ? 1 : this.#o.maxAttempts;
    const { value } = await withRetries(
      async () => {
        count(1);
        const p = await proveStep(keys, input);
        const t0 = performance.now();
        const ok = await verifyStep(keys.vkey, p.publicSignals, p.proof);
        timing.verifyMs = performance.now() - t0;
        if (!ok) throw new ProofGenerationError(`step ${step}: the ${system} proof just made does not verify (${keys.zkey} and ${keys.vkeyPath} disagree; delete ${keys.circuit.dir} to redo the setup)`, { retryable: false });
        timing.witnessMs = p.witnessMs;
        timing.proveMs = p.proveMs;
        return p;
      },
      {
        maxAttempts,
        baseDelayMs: this.#o.baseDelayMs,
        ...(this.#o.signal !== undefined ? { signal: this.#o.signal } : {}),
        onRetry: (attempt, e, delayMs) => this.#o.log(`zk: step ${step}: ${system} attempt ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
      },
    );
    return { system, proof: value.proof, publicSignals: value.publicSignals };
  }
}
