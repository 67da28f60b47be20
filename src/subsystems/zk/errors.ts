/**
 * The zk subsystem's failures, one class per code of the project's ProofError. Each says what failed and carries
 * what a caller needs to act on it (the paths searched, the template whose constraint failed, the exit status and
 * stderr of a child process, the last error before retries ran out). A configuration error is the project's
 * ConfigError. There is no fallback: a step that cannot be proved fails.
 */
import { ProofError } from '../../errors.js';

/** Circuit artifacts (circuit source, r1cs, wasm, zkey, ptau) were not where they had to be. */
export class ArtifactsNotFoundError extends ProofError {
  readonly searched: readonly string[];
  constructor(what: string, searched: readonly string[], fix: string) {
    super('ARTIFACTS_NOT_FOUND', `${what} not found (searched: ${searched.join(', ')}); ${fix}`);
    this.searched = searched;
  }
}

/** The witness could not be built: the inputs violate a constraint of the circuit (a wrong update, a bad commitment). */
export class WitnessError extends ProofError {
  /** The template whose assertion failed (e.g. `SgdLinearStep_77`), and its line, when the calculator names them. */
  readonly template: string | null;
  readonly line: number | null;
  constructor(message: string, o: { template: string | null; line: number | null; cause?: unknown }) {
    super('WITNESS_FAILED', message, { cause: o.cause });
    this.template = o.template;
    this.line = o.line;
  }
}

/** The prover (or the compiler, a child process) failed; `retryable` when trying again may help. */
export class ProofGenerationError extends ProofError {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly retryable: boolean;
  constructor(message: string, o: { exitCode?: number | null; signal?: string | null; stderr?: string; retryable: boolean; cause?: unknown }) {
    super('PROOF_FAILED', message, { cause: o.cause });
    this.exitCode = o.exitCode ?? null;
    this.signal = o.signal ?? null;
    this.stderr = o.stderr ?? '';
    this.retryable = o.retryable;
  }
}

/** A weight or input the fixed-point circuit cannot represent: NaN, ±Infinity, or outside [-2^VB, 2^VB). */
export class InvalidModelStateError extends ProofError {
  readonly field: string;
  constructor(field: string, problem: string) {
    super('MODEL_STATE', `${field}: ${problem}`);
    this.field = field;
  }
}

/** Every attempt failed with a retryable error; `lastError` is the final one. */
export class RetriesExhaustedError extends ProofError {
  readonly attempts: number;
  readonly lastError: ProofError;
  constructor(attempts: number, lastError: ProofError) {
    super('RETRIES_EXHAUSTED', `proof failed after ${attempts} attempts; last error: ${lastError.message}`, { cause: lastError });
    this.attempts = attempts;
    this.lastError = lastError;
  }
}

/** An audit found a step that does not check out (`tune audit` exits 1 with it). */
export class AuditFailedError extends ProofError {
  readonly step: number;
  constructor(step: number, message: string) {
    super('AUDIT_FAILED', message);
    this.step = step;
  }
}
