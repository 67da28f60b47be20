/**
 * Data-parallel tuning trials: how many of the runner's idle worker slots a trial may train on.
 *
 * `tune --trials T --workers W` keeps W trials in flight. Near the end of a study fewer trials are left to start
 * than slots are idle (the last trial of a study, or `--trials 1 --workers 2`); a trial of a subsystem that splits
 * its batches (`Subsystem.trainReplica`) may then take the idle slots as data-parallel replicas
 * (subsystems/data-parallel.ts) instead of leaving those cores idle, like Ray Tune's resources per trial. The slots
 * a trial takes stay reserved until it ends (run-trials.ts), so no more than W threads ever train at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../errors.js';
import { MAX_TRAIN_WORKERS } from '../subsystems/data-parallel.js';

/** `--trial-train-workers`: `auto` (any idle slots, up to the cap) or a fixed most-per-trial N (1: off). */
export type TrialTrainWorkers = number | 'auto';

/**
 * The train workers a trial started now gets: its own slot, plus idle ones only where no further trial would start
 * in them. `free` slots are idle now (this trial's included) and `toStartAfter` more trials are still to be started
 * by this run: the trial takes ⌊free / (toStartAfter + 1)⌋ (at least 1, at most `max`), which leaves at least one
 * idle slot for each later trial, so a reservation never delays a trial. Slots that free up later go to the trials
 * started then (a running trial never grows).
 * @example trainWorkersFor({ free: 2, toStartAfter: 0, max: Infinity }) // 2: the last trial, one idle slot beside it
 * @example trainWorkersFor({ free: 2, toStartAfter: 1, max: Infinity }) // 1: the next trial needs the other slot
 */
export function trainWorkersFor(o: { readonly free: number; readonly toStartAfter: number; readonly max: number }): number {
  if (!(o.free >= 1) || !(o.toStartAfter >= 0)) return 1;
  return Math.max(1, Math.min(o.max, Math.floor(o.free / (o.toStartAfter + 1))));
}

/** `--trial-train-workers` from the command line: `auto`, or an integer from 1 to 64; a ConfigError naming the flag otherwise. */
export function parseTrialTrainWorkers(value: unknown): TrialTrainWorkers {
  if (value === 'auto') return 'auto';
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_TRAIN_WORKERS) {
    throw new ConfigError(
      `--trial-train-workers: expected 'auto' (a trial trains on the worker slots no other trial will need) or an integer from 1 to ${MAX_TRAIN_WORKERS} ` +
        `(the most per trial; 1 turns it off), got ${JSON.stringify(value) ?? String(value)}`,
      { code: 'USAGE' },
    );
  }
  return n;
}

/** The cap `runTrials` applies: `auto` is no cap beyond the slots themselves. */
export function maxTrainWorkers(setting: TrialTrainWorkers): number {
  return setting === 'auto' ? MAX_TRAIN_WORKERS : setting;
}

/**
 * Before the last trial of a run starts: wait until `want` slots are free, or until the trials holding them end,
 * but no longer than `waitMs` (then it starts on whatever is free). This is delay scheduling (Zaharia et al.,
 * "Delay scheduling", EuroSys 2010): a bounded wait for a better placement. The trials of one run share a budget,
 * so the others in flight often end within a fraction of a trial of the one that just freed a slot, and the last
 * trial then trains on all of them instead of on one beside an idle core. `inFlight` settle after they release
 * their slots (run-trials.ts); the wait ends at once on `signal`.
 */
export async function waitForSlots(o: {
  readonly inFlight: ReadonlySet<Promise<void>>;
  readonly free: () => number;
  readonly want: number;
  readonly waitMs: number;
  readonly signal: AbortSignal;
}): Promise<void> {
  const deadline = Date.now() + o.waitMs;
  while (o.free() < o.want && o.inFlight.size > 0 && !o.signal.aborted) {
    const left = deadline - Date.now();
    if (!(left > 0)) return;
    const timer = new AbortController();
    const expired = sleep(left, undefined, { signal: AbortSignal.any([timer.signal, o.signal]) }).catch(() => undefined);
    await Promise.race([Promise.race(o.inFlight), expired]);
    timer.abort();
  }
}
