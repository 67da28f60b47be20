import type { Attrs, LogLevel } from '../core/frozen.js';
import type { MetricOwner, Storage } from '../storage/storage.js';

/**
 * Where a running trial or full-training run sends its named metric series and log lines. Writes are not
 * awaited one by one (a burst of them shares one group commit in the store); `flush` waits for all of them
 * and rethrows the first failure, so a caller never finishes a trial or run whose metrics did not land.
 */
export interface TrackingSink {
  metrics(step: number, values: Readonly<Record<string, number>>): void;
  log(level: LogLevel, message: string, data?: Attrs): void;
  /** Track a write made elsewhere (a heartbeat) so `flush` waits for it too. */
  track(write: Promise<void>): void;
  /** Wait for every write so far; rejects with the first that failed. */
  flush(): Promise<void>;
  /** Wait for every write so far, ignoring failures (the failure path, which already has an error to report). */
  settle(): Promise<void>;
}

/**
 * The one sink trials (runner/run-trials.ts) and runs (baseline/full-train.ts) both use.
 * @example
 * const sink = createTrackingSink(storage, { runId: run.runId });
 * sink.metrics(1, { train_loss: 0.4, val_loss: 0.5 });
 * await sink.flush();
 */
export function createTrackingSink(storage: Storage, owner: MetricOwner, now: () => number = Date.now): TrackingSink {
  const writes: Promise<void>[] = [];
  const track = (write: Promise<void>): void => {
    // Attach a handler at once: a failed write is reported by flush, never as an unhandled rejection.
    write.catch(() => undefined);
    writes.push(write);
  };
  return {
    metrics: (step, values) => {
      const timestamp = now();
      track(storage.appendMetrics(owner, Object.entries(values).map(([name, value]) => ({ name, step, value, timestamp }))));
    },
    log: (level, message, data) => track(storage.appendLogs(owner, [{ level, message, timestamp: now(), data }])),
    track,
    flush: async () => {
      await Promise.all(writes.splice(0));
    },
    settle: async () => {
      await Promise.allSettled(writes.splice(0));
    },
  };
}
