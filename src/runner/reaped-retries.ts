import type { FrozenTrial } from '../core/frozen.js';
import type { Study } from '../study/study.js';

/**
 * `--retries` for trials failed because their lease ran out (a killed or partitioned host, PostgreSQL): the store
 * hands each expired trial to exactly one reaper (one atomic UPDATE), and that process reruns its params as a new
 * trial linked by `retryOf`, as it would rerun a trial of its own that failed. A trial is retried while its chain of
 * retries is shorter than `retries`. Reaped trials wait here, per study, until the reaper's next asks take them;
 * if the reaper itself dies first they are not retried (the study still fills up with new trials).
 */
const queues = new WeakMap<Study, FrozenTrial[]>();

/** Queues the reaped trials that still have retries left; returns the next one to rerun, if any. */
export async function nextReapedRetry(study: Study, reaped: readonly FrozenTrial[], retries: number): Promise<FrozenTrial | undefined> {
  await queueReapedRetries(study, reaped, retries);
  return queues.get(study)?.shift();
}

/**
 * Queues reaped trials for this process's next asks (a shared study, `tune worker`, whose asks create trials under
 * the study's COMPLETE + RUNNING bound rather than claim enqueued ones).
 */
export async function queueReapedRetries(study: Study, reaped: readonly FrozenTrial[], retries: number): Promise<void> {
  if (reaped.length === 0) return;
  let queue = queues.get(study);
  if (!queue) queues.set(study, (queue = []));
  const byNumber = new Map((await study.getTrials()).map((t) => [t.number, t]));
  for (const t of reaped) if (retryDepth(t, byNumber) < retries) queue.push(t);
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
