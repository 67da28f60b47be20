import { StorageError } from '../errors.js';
import { isFinished, type FrozenStudy, type FrozenTrial } from '../core/frozen.js';
import { toInternal, type ParamValue } from '../space/distributions.js';
import { studyExists } from '../storage/checks.js';
import type { Storage, TrialTemplate } from '../storage/storage.js';

/**
 * A clock that reads the time it was last set to. Open the target store with `clock: clock.now` and pass the
 * same clock to {@link copyStudy}: each write that stamps a time (study creation, trial start, heartbeat,
 * completion) then stamps the source's time, so the copy keeps its timings through the public Storage API.
 */
export interface ReplayClock {
  readonly now: () => number;
  set(time: Date | null): void;
}

export function replayClock(): ReplayClock {
  let now = Date.now();
  return {
    now: () => now,
    set: (time) => {
      if (time !== null) now = time.getTime();
    },
  };
}

export interface CopyStudyOptions {
  /** The study to copy from `from`. */
  readonly study: string;
  /** Its name in `to`; default the same name. */
  readonly toStudy?: string;
  /** The clock `to` was opened with, to keep the source's timestamps; without one the copy is stamped now. */
  readonly clock?: ReplayClock;
}

/**
 * Copies one study from one store into another (or into the same store under another name), as Optuna's
 * `copy_study` does: the study's direction, attributes and creation time, then every trial in order with its
 * state, params and distributions, value, intermediate values, attributes, timings, error, worker, seed, code
 * version, budget and retry link, metric series and logs. Full-training runs (`tune train`) are not copied.
 *
 * The copy is all or nothing: if any write fails, the partial study is deleted from `to` and the error is
 * rethrown, so `to` is as it was. Throws STUDY_NOT_FOUND (no such study in `from`), STUDY_EXISTS (the name is
 * taken in `to`).
 *
 * @example
 * const clock = replayClock();
 * const to = await openStorage('sqlite:backup.db', { clock: clock.now });
 * await copyStudy(from, to, { study: 'optimizer', clock });
 */
export async function copyStudy(from: Storage, to: Storage, opts: CopyStudyOptions): Promise<{ study: FrozenStudy; nTrials: number }> {
  const clock = opts.clock ?? replayClock();
  const source = await from.getStudy(opts.study);
  const name = opts.toStudy ?? source.name;
  if ((await to.findStudy(name)) !== undefined) {
    throw studyExists(name, `choose another name for the copy (--to-study) or delete that study in ${to.url} first`);
  }
  const trials = await from.getAllTrials(source.studyId);
  clock.set(source.createdAt);
  const study = await to.createStudy({ name, direction: source.direction, userAttrs: source.userAttrs, systemAttrs: source.systemAttrs });
  try {
    for (const t of trials) await copyTrial(from, to, { studyId: study.studyId, trial: t, clock });
  } catch (e) {
    await removePartialCopy(to, name, e);
    throw e;
  }
  return { study, nTrials: trials.length };
}

async function removePartialCopy(to: Storage, name: string, failure: unknown): Promise<void> {
  try {
    await to.deleteStudy(name);
  } catch (cleanup) {
    throw new StorageError(
      `copying study '${name}' failed (${(failure as Error).message}), and its partial copy in ${to.url} could not be removed ` +
        `(${(cleanup as Error).message}); remove it with \`tune delete-study --study ${name} --yes --storage ${to.url}\``,
      { cause: failure },
    );
  }
}

async function copyTrial(from: Storage, to: Storage, o: { studyId: number; trial: FrozenTrial; clock: ReplayClock }): Promise<void> {
  const { trial: t, clock } = o;
  clock.set(t.datetimeStart);
  const copy = await to.createTrial(o.studyId, templateOf(t));
  if (copy.number !== t.number) {
    throw new StorageError(`copying trial ${t.number}: the copy got number ${copy.number}; the source study's trial numbers are not dense`);
  }
  const owner = { trialId: copy.trialId };
  // Issued together, the values reach the store in one tick and share one durable commit.
  await Promise.all([...t.intermediateValues].map(([step, value]) => to.setTrialIntermediateValue(copy.trialId, step, value)));
  const metrics = await from.getMetrics({ trialId: t.trialId });
  if (metrics.length > 0) await to.appendMetrics(owner, metrics);
  const logs = await from.getLogs({ trialId: t.trialId });
  if (logs.length > 0) await to.appendLogs(owner, logs);
  if (t.heartbeat !== null) {
    clock.set(t.heartbeat);
    await to.recordHeartbeat(copy.trialId);
  }
  if (!isFinished(t.state)) return;
  clock.set(t.datetimeComplete);
  const state = t.state as 'COMPLETE' | 'PRUNED' | 'FAIL';
  await to.finishTrial(copy.trialId, { state, value: state === 'FAIL' ? null : t.value, error: t.error });
}

function templateOf(t: FrozenTrial): TrialTemplate {
  const params = Object.fromEntries(
    Object.entries(t.distributions).map(([name, distribution]) => [name, { distribution, internal: toInternal(distribution, t.params[name] as ParamValue) }]),
  );
  return {
    state: t.state === 'WAITING' ? 'WAITING' : 'RUNNING',
    params,
    userAttrs: t.userAttrs,
    systemAttrs: t.systemAttrs,
    worker: t.worker,
    seed: t.seed,
    codeVersion: t.codeVersion,
    budget: t.budget,
    retryOf: t.retryOf,
  };
}
