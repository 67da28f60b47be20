/**
 * Retrying a proof: only failures marked retryable (the prover crashed or was killed, not a witness that violates
 * the circuit) are tried again, after 1 s, 2 s, 4 s, 8 s (`baseDelayMs`·2^k); when every attempt failed, a
 * RetriesExhaustedError carries the last error. `maxAttempts: 1` is fail-fast: the error itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ProofError } from '../../../errors.js';
import { ProofGenerationError, RetriesExhaustedError } from '../errors.js';

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly signal?: AbortSignal;
  onRetry?(attempt: number, error: ProofError, delayMs: number): void;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 1000 };

/** `fn`'s result and how many attempts it took. */
export async function withRetries<T>(fn: () => Promise<T>, o: RetryOptions): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(), attempts: attempt };
    } catch (e) {
      if (!(e instanceof ProofGenerationError) || !e.retryable) throw e;
      if (attempt >= o.maxAttempts) throw o.maxAttempts === 1 ? e : new RetriesExhaustedError(attempt, e);
      const delayMs = o.baseDelayMs * 2 ** (attempt - 1);
      o.onRetry?.(attempt, e, delayMs);
      await sleep(delayMs, undefined, o.signal !== undefined ? { signal: o.signal } : {});
    }
  }
}
