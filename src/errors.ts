/**
 * One error hierarchy with stable codes. Callers branch on `code` (or `instanceof`), never on message text.
 * Messages say what was wrong and how to fix it, naming the field path where there is one.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'SPACE_INVALID'
  | 'USAGE'
  | 'STORAGE'
  | 'STORE_NOT_FOUND'
  | 'STORE_OUTDATED'
  | 'STORE_READ_ONLY'
  | 'STORE_UNREACHABLE'
  | 'STORE_ACCESS_DENIED'
  | 'STORE_TOO_NEW'
  | 'STUDY_NOT_FOUND'
  | 'STUDY_EXISTS'
  | 'STUDY_FULL'
  | 'TRIAL_NOT_FOUND'
  | 'TRIAL_FINISHED'
  | 'TRIAL_LOST'
  | 'PARAM_CONFLICT'
  | 'OBJECTIVE_LOAD'
  | 'OBJECTIVE_VALUE'
  | 'OBJECTIVE_FAILED'
  | 'TRIAL_PRUNED'
  | 'DATASET'
  | 'SHAPE'
  | 'NUMERIC'
  | 'WORKER'
  | 'TIMEOUT'
  | 'INTERRUPTED'
  | 'FHE_SCALE'
  | 'FHE_LEVEL'
  | ProofErrorCode;

/** Codes of the zero-knowledge proving failures (ProofError). */
export type ProofErrorCode = 'ARTIFACTS_NOT_FOUND' | 'WITNESS_FAILED' | 'PROOF_FAILED' | 'MODEL_STATE' | 'RETRIES_EXHAUSTED' | 'AUDIT_FAILED';

/** A failure as stored on a trial or run: what `toTrialError` makes of any thrown value. */
export interface TrialError {
  readonly message: string;
  readonly stack: string | null;
  /** ParzenError code or the error's class name. */
  readonly code: string | null;
}

export class ParzenError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Invalid `tuning.config.ts`, search space or CLI arguments. */
export class ConfigError extends ParzenError {
  constructor(message: string, options?: { cause?: unknown; code?: 'CONFIG_INVALID' | 'SPACE_INVALID' | 'USAGE' }) {
    super(options?.code ?? 'CONFIG_INVALID', message, options);
  }
}

/** The codes a StorageError carries. STORE_UNREACHABLE / STORE_ACCESS_DENIED / STORE_TOO_NEW: a database server. */
export type StorageErrorCode =
  | 'STORAGE' | 'STORE_NOT_FOUND' | 'STORE_OUTDATED' | 'STORE_READ_ONLY' | 'STORE_UNREACHABLE' | 'STORE_ACCESS_DENIED' | 'STORE_TOO_NEW'
  | 'STUDY_NOT_FOUND' | 'STUDY_EXISTS' | 'STUDY_FULL' | 'TRIAL_NOT_FOUND' | 'TRIAL_FINISHED' | 'TRIAL_LOST' | 'PARAM_CONFLICT';

/** A storage operation failed; carries the SQL and its parameters when a database was involved. */
export class StorageError extends ParzenError {
  readonly sql: string | undefined;
  readonly params: readonly unknown[] | undefined;
  constructor(
    message: string,
    options?: { cause?: unknown; sql?: string; params?: readonly unknown[]; code?: StorageErrorCode },
  ) {
    super(options?.code ?? 'STORAGE', message, options);
    this.sql = options?.sql;
    this.params = options?.params;
  }
}

/** The objective module could not be loaded, returned an invalid value, or threw. */
export class ObjectiveError extends ParzenError {
  constructor(message: string, options?: { cause?: unknown; code?: 'OBJECTIVE_LOAD' | 'OBJECTIVE_VALUE' | 'OBJECTIVE_FAILED' }) {
    super(options?.code ?? 'OBJECTIVE_FAILED', message, options);
  }
}

/** Thrown by an objective (or `ctx.prune()`) to stop a trial that the pruner judged unpromising. */
export class TrialPruned extends ParzenError {
  constructor(message = 'trial pruned') {
    super('TRIAL_PRUNED', message);
  }
}

/** A dataset file is missing, malformed, or has the wrong shapes. */
export class DatasetError extends ParzenError {
  constructor(message: string, options?: { cause?: unknown; code?: 'DATASET' | 'SHAPE' }) {
    super(options?.code ?? 'DATASET', message, options);
  }
}

/** A tensor had an unexpected shape, or a loss/gradient went NaN/Inf. */
export class TrainingError extends ParzenError {
  constructor(message: string, options?: { cause?: unknown; code?: 'SHAPE' | 'NUMERIC' }) {
    super(options?.code ?? 'NUMERIC', message, options);
  }
}

/** A homomorphic operation's operands disagree in scale or level (named with the operation), caught before SEAL runs it. */
export class FheError extends ParzenError {
  constructor(message: string, options?: { cause?: unknown; code?: 'FHE_SCALE' | 'FHE_LEVEL' }) {
    super(options?.code ?? 'FHE_SCALE', message, options);
  }
}

/** A worker thread crashed or a trial ran past its timeout. */
export class WorkerError extends ParzenError {
  constructor(message: string, options?: { cause?: unknown; code?: 'WORKER' | 'TIMEOUT' | 'INTERRUPTED' }) {
    super(options?.code ?? 'WORKER', message, options);
  }
}

/**
 * Proving a training step failed: circuit artifacts missing, a witness that violates the circuit, the prover failing,
 * a model state the fixed-point circuit cannot hold, retries used up. Never answered with placeholder bytes.
 * src/subsystems/zk/errors.ts has one subclass per code, with the details each carries.
 */
export class ProofError extends ParzenError {
  constructor(code: ProofErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Message and stack of any thrown value, for storing on a failed trial. */
export function describeError(e: unknown): { message: string; stack: string | null } {
  if (e instanceof Error) return { message: e.message, stack: e.stack ?? null };
  return { message: String(e), stack: null };
}

/** Any thrown value → the error record stored on a failed trial. */
export function toTrialError(e: unknown): TrialError {
  if (isTrialError(e)) return e;
  const { message, stack } = describeError(e);
  const code = e instanceof ParzenError ? e.code : e instanceof Error ? e.name : null;
  return { message, stack, code };
}

/** A TrialError record (already converted, e.g. sent back by a worker thread), as opposed to a thrown value. */
function isTrialError(e: unknown): e is TrialError {
  if (typeof e !== 'object' || e === null || e instanceof Error) return false;
  const x = e as Record<string, unknown>;
  return typeof x.message === 'string' && (x.stack === null || typeof x.stack === 'string') && (x.code === null || typeof x.code === 'string');
}
