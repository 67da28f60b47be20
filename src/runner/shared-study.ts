import { setTimeout as sleep } from 'node:timers/promises';
import { StorageError } from '../errors.js';
import type { FrozenTrial } from '../core/frozen.js';
import type { Trial } from '../study/trial.js';
import { ask, runWithRetries, type RunTrialsOptions } from './run-trials.js';

export interface SharedStudyOptions extends Omit<RunTrialsOptions, 'nTrials' | 'nTrialsPerBatch' | 'maxActive'> {
  /** The study is done when it has this many COMPLETE trials, counting every host's. */
  readonly nComplete: number;
  /** How often a worker with nothing to run looks again whether another host's trial failed. Default 500 ms. */
  readonly pollMs?: number;
}

/**
 * `tune worker`: one of any number of processes, on any hosts, filling one study up to `nComplete` COMPLETE trials.
 * Each ask is bounded by `maxActive = nComplete` in the store (COMPLETE + RUNNING, checked atomically with the
 * insert or the claim of a WAITING trial, such as a reaped trial's retry, which asks take first), so the hosts
 * together never start more trials than can still be needed; the sampler sees every host's
 * trials, RUNNING ones through the constant liar. A worker with nothing to start waits while other hosts' trials
 * run, and starts another when one of them fails (or its lease runs out). Returns the trials this worker finished.
 */
export async function runSharedStudy(opts: SharedStudyOptions): Promise<FrozenTrial[]> {
  const signal = opts.signal ?? new AbortController().signal;
  const run: RunTrialsOptions = { ...opts, nTrials: Number.POSITIVE_INFINITY, nTrialsPerBatch: null, maxActive: opts.nComplete };
  const finished: FrozenTrial[] = [];
  const inFlight = new Set<Promise<void>>();
  while (!signal.aborted) {
    while (inFlight.size >= opts.runner.concurrency) await Promise.race(inFlight);
    if (signal.aborted) break;
    const trial = await askUnlessFull(run);
    if (trial !== undefined) {
      const tracked: Promise<void> = runWithRetries(run, trial, signal)
        .then((ts) => void finished.push(...ts))
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      continue;
    }
    if (inFlight.size > 0) {
      await Promise.race(inFlight);
      continue;
    }
    const all = await opts.study.getTrials();
    if (all.filter((t) => t.state === 'COMPLETE').length >= opts.nComplete) break;
    await sleep(opts.pollMs ?? 500, undefined, { signal }).catch(() => undefined);
  }
  await Promise.all(inFlight);
  return finished.sort((a, b) => a.number - b.number);
}

async function askUnlessFull(opts: RunTrialsOptions): Promise<Trial | undefined> {
  try {
    return await ask(opts);
  } catch (e) {
    if (e instanceof StorageError && e.code === 'STUDY_FULL') return undefined;
    throw e;
  }
}
