import type { FrozenTrial } from '../core/frozen.js';
import { ParzenError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import { findRunSource, getImportance, getRunDetail, getTrialDetail, listRuns, listStudyOverviews, listTrials } from '../study/queries.js';
import { trialToJson } from '../cli/format.js';
import { Worker } from 'node:worker_threads';
import type { FanovaResult } from '../importance/index.js';
import type { IntermediateCurve, TrialRow } from './wire.js';

/**
 * The dashboard's JSON API; every route reads through study/queries.ts and nothing writes.
 * GET /api/studies · /api/studies/:name/trials · …/importance[/fanova] · …/intermediate · …/trials/:number · /api/runs · /api/runs/:id
 */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** One trial as the study page needs it (wire.ts); ±Infinity values become strings only when sent. */
export function trialRow(t: FrozenTrial): TrialRow {
  return {
    n: t.number,
    s: t.state,
    v: t.value,
    p: t.params,
    t0: t.datetimeStart?.getTime() ?? null,
    t1: t.datetimeComplete?.getTime() ?? null,
    w: t.worker,
  };
}

/** Answers `path` (already past the security checks), or undefined when it is no API route. */
export async function answerApi(storage: Storage, path: readonly string[]): Promise<ApiAnswer | undefined> {
  try {
    return await route(storage, path);
  } catch (e) {
    if (e instanceof ParzenError && (e.code === 'STUDY_NOT_FOUND' || e.code === 'TRIAL_NOT_FOUND')) return { status: 404, body: { error: e.message, code: e.code } };
    throw e;
  }
}

async function route(storage: Storage, path: readonly string[]): Promise<ApiAnswer | undefined> {
  const [api, kind, name, sub, number, ...rest] = path;
  if (api !== 'api' || rest.length > 0) return undefined;
  if (kind === 'studies' && name === undefined) return ok(await listStudyOverviews(storage));
  if (kind === 'runs' && name === undefined) return ok((await listRuns(storage)).map((r) => r.run));
  if (kind === 'runs' && name !== undefined && sub === undefined && /^\d+$/.test(name)) return runDetail(storage, Number(name));
  if (kind !== 'studies' || name === undefined) return undefined;
  if (sub === 'trials' && number === undefined) {
    const { study, trials } = await listTrials(storage, name);
    const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
    const distributions = Object.fromEntries(params.map((p) => [p, trials.findLast((t) => p in t.distributions)?.distributions[p]]));
    return ok({ study, distributions, trials: trials.map(trialRow) });
  }
  if (sub === 'importance' && number === undefined) return ok((await getImportance(storage, name)).result);
  if (sub === 'importance' && number === 'fanova') return ok(await cachedFanova(storage, name));
  if (sub === 'intermediate' && number === undefined) {
    // Learning curves, apart from /trials so the study page's first paint does not wait for them.
    const { trials } = await listTrials(storage, name);
    return ok(trials.filter((t) => t.intermediateValues.size > 0).map((t): IntermediateCurve => ({ n: t.number, points: [...t.intermediateValues].sort((a, b) => a[0] - b[0]) })));
  }
  if (sub === 'trials' && number !== undefined && /^\d+$/.test(number)) {
    const d = await getTrialDetail(storage, name, Number(number));
    return ok({ study: d.study, trial: trialToJson(d.trial), series: d.series, logs: d.logs });
  }
  return undefined;
}

const ok = (body: unknown): ApiAnswer => ({ status: 200, body });

/** fANOVA grows a 64-tree forest (seconds on a large study): one result per study until its COMPLETE trials change. */
const fanovaCache = new WeakMap<Storage, Map<string, { readonly key: string; readonly result: FanovaResult }>>();

async function cachedFanova(storage: Storage, name: string): Promise<FanovaResult> {
  const study = await storage.getStudy(name);
  const complete = await storage.getAllTrials(study.studyId, { states: ['COMPLETE'] });
  const key = `${study.studyId}:${complete.length}:${complete.at(-1)?.number ?? -1}`;
  const byStudy = fanovaCache.get(storage) ?? new Map<string, { key: string; result: FanovaResult }>();
  fanovaCache.set(storage, byStudy);
  const hit = byStudy.get(name);
  if (hit?.key === key) return hit.result;
  const result = await fanovaOffThread(complete);
  byStudy.set(name, { key, result });
  return result;
}

function fanovaOffThread(trials: readonly FrozenTrial[]): Promise<FanovaResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fanova-worker.js', import.meta.url), { workerData: { trials } });
    worker.once('message', (r: FanovaResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the fANOVA worker thread exited with code ${code}`));
    });
  });
}

/** A run with its per-epoch series, logs, and the study trial it came from (RunDetailWire in wire.ts). */
async function runDetail(storage: Storage, runId: number): Promise<ApiAnswer> {
  if (!(await storage.listRuns()).some((r) => r.runId === runId)) return { status: 404, body: { error: `full-training run ${runId} does not exist; the runs page lists them`, code: 'RUN_NOT_FOUND' } };
  const d = await getRunDetail(storage, runId);
  const source = await findRunSource(storage, d.run);
  const brief = (t: FrozenTrial | null): { number: number; value: number | null; params: FrozenTrial['params'] } | null => (t === null ? null : { number: t.number, value: t.value, params: t.params });
  return ok({
    run: d.run,
    series: d.series,
    logs: d.logs ?? [],
    source: source === undefined ? null : { study: source.study.name, direction: source.study.direction, matchedBy: source.matchedBy, trial: brief(source.trial), best: brief(source.best) },
  });
}

/** Compact JSON with ±Infinity as strings (JSON has none) and Maps as objects. */
export function toCompactJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    if (v instanceof Map) return Object.fromEntries(v);
    return v;
  });
}
