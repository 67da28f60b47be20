/**
 * What the CLI's query commands and the dashboard read: studies with counts and best values, trials filtered
 * and paged, one trial with its metric series and logs, full-training runs. Read-only functions of a Storage;
 * nothing here writes.
 */
import { StorageError } from '../errors.js';
import type { FrozenRun, FrozenStudy, FrozenTrial, LogLine, MetricPoint, StudyDirection, StudySummary, TrialState } from '../core/frozen.js';
import { rankCompleteTrials } from '../core/ranking.js';
import type { MetricOwner, Storage } from '../storage/storage.js';
import { emptyCounts } from '../storage/summary.js';
import { fanovaImportance, pedAnovaImportance, type FanovaOptions, type FanovaResult, type ImportanceResult, type PedAnovaOptions } from '../importance/index.js';

/** Every study in the store with its counts per state and its best value. */
export function listStudies(storage: Storage): Promise<readonly StudySummary[]> {
  return storage.listStudies();
}

/** The best COMPLETE trial of `trials`, or a StorageError TRIAL_NOT_FOUND saying how to get one. */
export function requireBestTrial(trials: readonly FrozenTrial[], study: { readonly name: string; readonly direction: StudyDirection }): FrozenTrial {
  const [best] = rankCompleteTrials(trials, study.direction);
  if (best === undefined) {
    throw new StorageError(`study '${study.name}' has no COMPLETE trial yet; run \`tune --study ${study.name}\` first`, { code: 'TRIAL_NOT_FOUND' });
  }
  return best;
}

/** The `k` best COMPLETE trials, best first (fewer when fewer completed; none is TRIAL_NOT_FOUND). */
export async function getBestTrials(storage: Storage, studyName: string, k = 1): Promise<{ study: FrozenStudy; trials: FrozenTrial[] }> {
  const study = await storage.getStudy(studyName);
  const complete = await storage.getAllTrials(study.studyId, { states: ['COMPLETE'] });
  requireBestTrial(complete, study);
  return { study, trials: rankCompleteTrials(complete, study.direction).slice(0, k) };
}

export type TrialOrder = 'number' | 'best';

export interface TrialQueryOptions {
  readonly states?: readonly TrialState[];
  /** Trials to skip (after filtering and ordering). */
  readonly offset?: number;
  /** At most this many trials. */
  readonly limit?: number;
  /** By number (default) or best value first (COMPLETE trials by value, the rest after them by number). */
  readonly order?: TrialOrder;
}

/** One page of a study's trials, and how many match in all. */
export interface TrialPage {
  readonly study: FrozenStudy;
  readonly total: number;
  readonly offset: number;
  readonly trials: readonly FrozenTrial[];
}

/**
 * A study's trials, filtered by state and paged.
 * @example const { total, trials } = await listTrials(storage, 'optimizer', { states: ['FAIL'], limit: 50 });
 */
export async function listTrials(storage: Storage, studyName: string, o: TrialQueryOptions = {}): Promise<TrialPage> {
  const study = await storage.getStudy(studyName);
  const offset = checkCount('offset', o.offset ?? 0);
  const limit = o.limit === undefined ? Number.POSITIVE_INFINITY : checkCount('limit', o.limit);
  const all = await storage.getAllTrials(study.studyId, o.states === undefined ? undefined : { states: o.states });
  const ordered = o.order === 'best' ? bestFirst(all, study.direction) : all;
  return { study, total: all.length, offset, trials: ordered.slice(offset, offset + limit) };
}

function bestFirst(trials: readonly FrozenTrial[], direction: StudyDirection): FrozenTrial[] {
  const ranked = rankCompleteTrials(trials, direction);
  const inRanking = new Set(ranked.map((t) => t.trialId));
  return [...ranked, ...trials.filter((t) => !inRanking.has(t.trialId))];
}

function checkCount(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) throw new StorageError(`${name} must be a non-negative integer, got ${v}`, { code: 'STORAGE' });
  return v;
}

/** Metric points grouped into series by name, each in step order. */
export type MetricSeries = Readonly<Record<string, readonly Required<MetricPoint>[]>>;

async function seriesOf(storage: Storage, owner: MetricOwner): Promise<MetricSeries> {
  const out: Record<string, Required<MetricPoint>[]> = {};
  for (const p of await storage.getMetrics(owner)) (out[p.name] ??= []).push(p);
  for (const points of Object.values(out)) points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  return out;
}

/** One trial by number with everything recorded about it. */
export interface TrialDetail {
  readonly study: FrozenStudy;
  readonly trial: FrozenTrial;
  readonly series: MetricSeries;
  readonly logs: readonly LogLine[];
}

/** Trial `number` of a study with its named metric series and log lines; TRIAL_NOT_FOUND when there is none. */
export async function getTrialDetail(storage: Storage, studyName: string, number: number): Promise<TrialDetail> {
  const study = await storage.getStudy(studyName);
  const trial = await storage.findTrialByNumber(study.studyId, number);
  if (trial === undefined) throw new StorageError(`study '${studyName}' has no trial #${number}; list them with \`tune trials --study ${studyName}\``, { code: 'TRIAL_NOT_FOUND' });
  const owner = { trialId: trial.trialId };
  const [series, logs] = await Promise.all([seriesOf(storage, owner), storage.getLogs(owner)]);
  return { study, trial, series, logs };
}

/** A full-training run with its per-epoch series (and, for one run, its logs). */
export interface RunDetail {
  readonly run: FrozenRun;
  readonly series: MetricSeries;
  readonly logs?: readonly LogLine[];
}

/** Every full-training run, newest last; with `withSeries`, each one's metric series too. */
export async function listRuns(storage: Storage, o: { withSeries?: boolean } = {}): Promise<readonly RunDetail[]> {
  const runs = await storage.listRuns();
  if (o.withSeries !== true) return runs.map((run) => ({ run, series: {} }));
  return Promise.all(runs.map(async (run) => ({ run, series: await seriesOf(storage, { runId: run.runId }) })));
}

/** One run with its series and logs. */
export async function getRunDetail(storage: Storage, runId: number): Promise<RunDetail> {
  const run = await storage.getRun(runId);
  const owner = { runId };
  const [series, logs] = await Promise.all([seriesOf(storage, owner), storage.getLogs(owner)]);
  return { run, series, logs };
}

/** Trial counts per state (every state present). */
export function countByState(trials: readonly FrozenTrial[]): Record<TrialState, number> {
  const counts = emptyCounts();
  for (const t of trials) counts[t.state]++;
  return counts;
}

export type ImportanceMethod = 'ped-anova' | 'fanova';
export const IMPORTANCE_METHODS: readonly ImportanceMethod[] = ['ped-anova', 'fanova'];

/**
 * A study's hyperparameter importances over its COMPLETE trials, with the study: PED-ANOVA by default (closed form,
 * milliseconds at 10,000 trials), fANOVA (a random forest) with `method: 'fanova'`.
 */
export async function getImportance(storage: Storage, studyName: string, o: PedAnovaOptions & FanovaOptions & { method?: ImportanceMethod } = {}): Promise<{ study: FrozenStudy; result: ImportanceResult | FanovaResult }> {
  const study = await storage.getStudy(studyName);
  const complete = await storage.getAllTrials(study.studyId, { states: ['COMPLETE'] });
  return { study, result: o.method === 'fanova' ? fanovaImportance(complete, o) : pedAnovaImportance(complete, study.direction, o) };
}

/** A study summary with when anything last happened in it (ms since epoch; null before any trial started). */
export interface StudyOverview extends StudySummary {
  readonly lastActivityMs: number | null;
}

/** Every study with its counts, best value and last activity (the dashboard's studies page). */
export async function listStudyOverviews(storage: Storage): Promise<readonly StudyOverview[]> {
  const studies = await storage.listStudies();
  return Promise.all(
    studies.map(async (s) => {
      let last: number | null = null;
      for (const t of await storage.getAllTrials(s.studyId)) {
        const ms = (t.datetimeComplete ?? t.datetimeStart)?.getTime();
        if (ms !== undefined && (last === null || ms > last)) last = ms;
      }
      return { ...s, lastActivityMs: last };
    }),
  );
}

/**
 * A number that changes when the store changes: the backend's change counter where it has one, else a
 * fingerprint of the studies' counts (which catches every trial that starts or finishes).
 */
export async function storeVersion(storage: Storage): Promise<number | string> {
  if (storage.changeCounter !== undefined) return storage.changeCounter();
  const studies = await storage.listStudies();
  return studies.map((s) => `${s.studyId}:${Object.values(s.counts).join(',')}`).join(';');
}

/** The study trial a full-training run came from, as far as the store tells. */
export interface RunSource {
  readonly study: FrozenStudy;
  /**
   * How `trial` was found: `recorded`, the trial number `tune train` stored on the run (from the baseline's
   * provenance); `params`, for runs stored before runs recorded it, the best trial whose every sampled param equals
   * the run's config (the baseline is that trial's params over the full-training defaults).
   */
  readonly matchedBy: 'recorded' | 'params';
  /** The source trial; null when the recorded trial was deleted, or no trial has exactly the run's params. */
  readonly trial: FrozenTrial | null;
  /** The study's best COMPLETE trial now (what `tune export-baseline` would promote today). */
  readonly best: FrozenTrial | null;
}

/**
 * Where run `run` came from: its study (by the name recorded on the run; undefined when the run names none or the
 * study was deleted) and the trial it trained: the one whose number the run records, or, for a run without one,
 * the trial whose params it trained with (when several match, a re-sampled point, the best of them).
 */
export async function findRunSource(storage: Storage, run: FrozenRun): Promise<RunSource | undefined> {
  if (run.studyName === null) return undefined;
  const study = await storage.findStudy(run.studyName);
  if (study === undefined) return undefined;
  const ranked = rankCompleteTrials(await storage.getAllTrials(study.studyId, { states: ['COMPLETE'] }), study.direction);
  const best = ranked[0] ?? null;
  if (run.trialNumber !== null) return { study, matchedBy: 'recorded', trial: (await storage.findTrialByNumber(study.studyId, run.trialNumber)) ?? null, best };
  const same = (t: FrozenTrial): boolean => Object.keys(t.params).length > 0 && Object.entries(t.params).every(([k, v]) => k in run.config && run.config[k] === v);
  return { study, matchedBy: 'params', trial: ranked.find(same) ?? null, best };
}
