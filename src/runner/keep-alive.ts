import { StorageError } from '../errors.js';
import type { Study } from '../study/study.js';
import type { Trial } from '../study/trial.js';

export interface KeepAlive {
  /** Aborted once the store said another host already finished the trial (its lease was taken). */
  readonly lost: AbortSignal;
  stop(): void;
}

/**
 * Records a heartbeat (on a store with leases: renews the lease) every `heartbeatMs` while a trial runs. When the
 * store refuses it because the trial is already finished, another host failed it after its lease ran out (this
 * host was partitioned or stalled): `lost` aborts so the caller stops the trial rather than write over that FAIL.
 * Any other failed heartbeat is only reported: the next one retries, and the lease, several heartbeats long,
 * covers the gap; failing a healthy trial for one lost heartbeat would be worse than the outage.
 */
export function keepAlive(opts: {
  readonly study: Study;
  readonly trial: Trial;
  readonly heartbeatMs: number;
  readonly onWarning: (message: string) => void;
}): KeepAlive {
  const lost = new AbortController();
  let inFlight = false;
  const beat = (): void => {
    if (inFlight || lost.signal.aborted) return; // a slow store: never stack heartbeats behind one another
    inFlight = true;
    opts.study
      .heartbeat(opts.trial)
      .catch((e: unknown) => {
        // Failed by another host after its lease ran out, or lost by the server in a crash: stop the trial either way.
        if (e instanceof StorageError && (e.code === 'TRIAL_FINISHED' || e.code === 'TRIAL_LOST')) {
          lost.abort(e);
          return;
        }
        opts.onWarning(`heartbeat of trial ${opts.trial.number} failed (${e instanceof Error ? e.message : String(e)}); the next one retries`);
      })
      .finally(() => (inFlight = false));
  };
  const timer = setInterval(beat, opts.heartbeatMs);
  timer.unref();
  return { lost: lost.signal, stop: () => clearInterval(timer) };
}
