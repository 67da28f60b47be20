import { hostname } from 'node:os';
import { StorageError, WorkerError, toTrialError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import type { FrozenTrial } from '../core/frozen.js';

/** `host:pid` of this process, the `worker` recorded on the trials it runs. */
export function processLabel(): string {
  return `${hostname()}:${process.pid}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else; ESRCH: no such process.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function onThisHost(t: FrozenTrial): boolean {
  return /^(.*):(\d+)$/.exec(t.worker ?? '')?.[1] === hostname();
}

/**
 * Whether a RUNNING trial's process is gone: on this host, its pid is no longer alive; elsewhere (a shared store),
 * its heartbeat (or start) is older than `staleMs`.
 */
export function isOrphan(t: FrozenTrial, staleMs: number, now = Date.now()): boolean {
  const m = /^(.*):(\d+)$/.exec(t.worker ?? '');
  if (m !== null && m[1] === hostname()) {
    const pid = Number(m[2]);
    return pid !== process.pid && !pidAlive(pid);
  }
  const last = t.heartbeat ?? t.datetimeStart;
  return last === null || now - last.getTime() > staleMs;
}

/**
 * Mark the study's orphaned RUNNING trials (their process died: kill -9, power loss) as FAIL, so no trial stays
 * RUNNING for a process that is gone. Returns the trials it marked. Safe when several processes reap at once.
 * `retries` goes to the lease reap, which enqueues those trials' retries itself (enqueueOrphanRetries does the rest).
 */
export async function reapOrphans(storage: Storage, studyId: number, staleMs: number, retries = 0): Promise<FrozenTrial[]> {
  // A store with leases judges other hosts' trials by its own clock, atomically; no host's clock is trusted for them.
  const leased = storage.reapExpiredLeases === undefined ? undefined : await storage.reapExpiredLeases(studyId, processLabel(), retries);
  const running = await storage.getAllTrials(studyId, { states: ['RUNNING'] });
  const reaped: FrozenTrial[] = [...(leased ?? [])];
  for (const t of running) {
    if (leased !== undefined && !onThisHost(t)) continue;
    if (!isOrphan(t, staleMs)) continue;
    const err = new WorkerError(
      `orphaned: the process that ran it (${t.worker ?? 'unknown'}) is gone (last heartbeat ${(t.heartbeat ?? t.datetimeStart)?.toISOString() ?? 'never'}); ` +
        `marked failed by ${processLabel()}`,
      { code: 'WORKER' },
    );
    try {
      reaped.push(await storage.finishTrial(t.trialId, { state: 'FAIL', error: toTrialError(err) }));
    } catch (e) {
      // Another process reaped it first: that is the outcome we wanted.
      if (!(e instanceof StorageError && e.code === 'TRIAL_FINISHED')) throw e;
    }
  }
  return reaped;
}
