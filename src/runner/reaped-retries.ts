import type { FrozenTrial } from '../core/frozen.js';
import type { Study } from '../study/study.js';

/**
 * `--retries` for trials failed because the process running them died. Nothing of it is held in memory: every
 * retry is a WAITING trial in the store (same params, linked by `retryOf`) that any process's next ask claims —
 * a shared study's (`tune worker`) under its COMPLETE + RUNNING bound — so a retry survives the death of the
 * process that reaped. On a store with leases (PostgreSQL) the reap itself enqueues them, in its own transaction
 * (`reapExpiredLeases(…, retries)`); the trials `reapOrphans` fails by their stale heartbeat get theirs here.
 * A trial is retried while its chain of retries is shorter than `retries`.
 */

/** Enqueues a retry of each orphan that has retries left and none yet (the lease reap may have enqueued it). */
export async function enqueueOrphanRetries(study: Study, orphans: readonly FrozenTrial[], retries: number): Promise<FrozenTrial[]> {
  if (orphans.length === 0 || retries <= 0) return [];
  const all = await study.getTrials();
  const byNumber = new Map(all.map((t) => [t.number, t]));
  const retried = new Set(all.map((t) => t.retryOf));
  const enqueued: FrozenTrial[] = [];
  for (const t of orphans) {
    if (retried.has(t.number) || retryDepth(t, byNumber) >= retries) continue;
    enqueued.push(await study.enqueueRetry(t));
  }
  return enqueued;
}

/** How many retries precede `t` in its chain (0 for a first attempt). */
export function retryDepth(t: FrozenTrial, byNumber: ReadonlyMap<number, FrozenTrial>): number {
  let depth = 0;
  for (let r = t.retryOf; r !== null; r = byNumber.get(r)?.retryOf ?? null) {
    depth++;
    if (depth > byNumber.size) break; // a cycle cannot be stored, but never loop on one
  }
  return depth;
}
