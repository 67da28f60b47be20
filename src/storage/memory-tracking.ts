import type { Attrs, FrozenRun, LogLine, MetricPoint, RunState, TrialError, TrialState } from '../core/frozen.js';
import { checkWritable, runNotFound } from './checks.js';
import { freezeRun } from './snapshot.js';
import type { MetricOwner, NewRun } from './storage.js';
import { checkLogs, checkMetrics, checkOwner, checkRun, checkRunFinish, runFinished } from './tracking-checks.js';
import { decodeJson, decodeValue } from './values.js';

interface RunRecord {
  readonly runId: number;
  readonly studyName: string | null;
  readonly trialNumber: number | null;
  readonly subsystem: string;
  state: RunState;
  readonly configJson: string;
  resultJson: string | null;
  error: TrialError | null;
  readonly datetimeStart: number;
  datetimeComplete: number | null;
  readonly codeVersion: string | null;
}

type TrialLookup = (trialId: number) => { trialId: number; number: number; state: TrialState };

const ownerKey = (owner: MetricOwner): string => ('trialId' in owner ? `t${owner.trialId}` : `r${owner.runId}`);

/** Metric series, logs and full-training runs for InMemoryStorage. */
export class MemoryTracking {
  readonly #lookupTrial: TrialLookup;
  readonly #clock: () => number;
  readonly #metrics = new Map<string, Required<MetricPoint>[]>();
  readonly #logs = new Map<string, LogLine[]>();
  readonly #runs = new Map<number, RunRecord>();
  #nextRunId = 1;

  /** `clock` is the owning store's (see StorageOptions.clock). */
  constructor(lookupTrial: TrialLookup, clock: () => number) {
    this.#lookupTrial = lookupTrial;
    this.#clock = clock;
  }

  appendMetrics(owner: MetricOwner, points: readonly MetricPoint[]): void {
    this.#checkWritableOwner(owner, 'append metrics to');
    const checked = checkMetrics(owner, points, this.#clock());
    const list = this.#metrics.get(ownerKey(owner)) ?? [];
    for (const p of checked) {
      const value = decodeValue(p.encoded.value, p.encoded.valueType) as number;
      list.push(Object.freeze({ name: p.name, step: p.step, value, timestamp: p.timestamp }));
    }
    this.#metrics.set(ownerKey(owner), list);
  }

  /** Points ordered by name, then step, then the order they were appended in. */
  getMetrics(owner: MetricOwner, name?: string): readonly Required<MetricPoint>[] {
    this.#checkOwnerExists(owner);
    const list = this.#metrics.get(ownerKey(owner)) ?? [];
    const picked = list.map((p, i) => ({ p, i })).filter(({ p }) => name === undefined || p.name === name);
    picked.sort((a, b) => (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : a.p.step - b.p.step || a.i - b.i));
    return picked.map(({ p }) => p);
  }

  appendLogs(owner: MetricOwner, lines: readonly LogLine[]): void {
    this.#checkWritableOwner(owner, 'append logs to');
    const checked = checkLogs(owner, lines);
    const list = this.#logs.get(ownerKey(owner)) ?? [];
    for (const { line, dataJson } of checked) {
      const copy: LogLine = { level: line.level, message: line.message, timestamp: line.timestamp };
      list.push(Object.freeze(dataJson === null ? copy : { ...copy, data: decodeJson<Attrs>(dataJson) }));
    }
    this.#logs.set(ownerKey(owner), list);
  }

  getLogs(owner: MetricOwner): readonly LogLine[] {
    this.#checkOwnerExists(owner);
    return [...(this.#logs.get(ownerKey(owner)) ?? [])];
  }

  createRun(opts: NewRun): FrozenRun {
    const c = checkRun(opts);
    const run: RunRecord = {
      runId: this.#nextRunId++, studyName: c.studyName, trialNumber: c.trialNumber, subsystem: c.subsystem, state: 'RUNNING', configJson: c.configJson,
      resultJson: null, error: null, datetimeStart: this.#clock(), datetimeComplete: null, codeVersion: c.codeVersion,
    };
    this.#runs.set(run.runId, run);
    return snapshotRun(run);
  }

  finishRun(runId: number, finish: { state: 'COMPLETE' | 'FAIL'; result?: Attrs | null; error?: TrialError | null }): FrozenRun {
    const run = this.#run(runId);
    if (run.state !== 'RUNNING') throw runFinished(runId, run.state);
    const c = checkRunFinish(runId, finish);
    run.state = c.state;
    run.resultJson = c.resultJson;
    run.error = c.error;
    run.datetimeComplete = this.#clock();
    return snapshotRun(run);
  }

  getRun(runId: number): FrozenRun {
    return snapshotRun(this.#run(runId));
  }

  listRuns(): readonly FrozenRun[] {
    return [...this.#runs.values()].map(snapshotRun);
  }

  /** Drops a deleted trial's series and logs. */
  dropTrial(trialId: number): void {
    this.#metrics.delete(ownerKey({ trialId }));
    this.#logs.delete(ownerKey({ trialId }));
  }

  #run(runId: number): RunRecord {
    const run = this.#runs.get(runId);
    if (!run) throw runNotFound(runId);
    return run;
  }

  #checkOwnerExists(owner: MetricOwner): void {
    checkOwner(owner);
    if ('trialId' in owner) this.#lookupTrial(owner.trialId);
    else this.#run(owner.runId);
  }

  #checkWritableOwner(owner: MetricOwner, action: string): void {
    checkOwner(owner);
    if ('trialId' in owner) {
      checkWritable(this.#lookupTrial(owner.trialId), action);
      return;
    }
    const run = this.#run(owner.runId);
    if (run.state !== 'RUNNING') throw runFinished(run.runId, run.state);
  }
}

function snapshotRun(r: RunRecord): FrozenRun {
  return freezeRun({
    ...r,
    config: decodeJson<Attrs>(r.configJson),
    result: r.resultJson === null ? null : decodeJson<Attrs>(r.resultJson),
  });
}
