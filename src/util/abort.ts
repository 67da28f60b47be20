/** A promise that resolves `delayMs` after `signal` aborts, and `cancel` to stop waiting (no listener or timer stays behind). */
export interface AbortWait {
  readonly aborted: Promise<void>;
  cancel(): void;
}

/**
 * Wait for an abort, optionally plus a delay (a grace period). Race it against work that may not stop on its own:
 * `Promise.race` keeps a handler on the abandoned work, so its late settling is never an unhandled rejection.
 * @example
 * const grace = afterAbort(signal, 10_000);
 * try { return await Promise.race([trial, grace.aborted.then(() => abandoned)]); } finally { grace.cancel(); }
 */
export function afterAbort(signal: AbortSignal, delayMs = 0): AbortWait {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => {
      timer = setTimeout(resolve, delayMs);
    };
  });
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    aborted,
    cancel: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
