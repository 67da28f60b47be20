import type { Distribution } from '../space/distributions.js';
import type { AttrValue, Attrs, FrozenRun, FrozenStudy, FrozenTrial, LogLine, MetricPoint, StudyDirection, StudySummary } from '../core/frozen.js';
import {
  checkActiveQuota, checkAgeMs, checkAttrKind as attrKind, checkDirection, checkFinish, checkParam, checkStudyName, checkTemplate, checkWritable,
  paramAlreadySet, renameTargetTaken, studyExists, studyNotFound, trialNotFound,
} from './checks.js';
import { MemoryTracking } from './memory-tracking.js';
import { freezeTrial } from './snapshot.js';
import { parseStoredDistribution, storedDistribution } from './stored-distribution.js';
import type { MetricOwner, NewRun, Storage, StorageOptions, TrialFinish, TrialParamInput, TrialQuery, TrialTemplate } from './storage.js';
import { isBetter } from '../core/ranking.js';
import { emptyCounts, summarize } from './summary.js';
import { checkStep, decodeJson, decodeValue, encodeAttr, encodeValue, type EncodedValue } from './values.js';

interface StudyRecord {
  readonly studyId: number;
  readonly name: string;
  readonly direction: StudyDirection;
  readonly createdAt: number;
  readonly attrs: { user: Map<string, string>; system: Map<string, string> };
  readonly trialIds: number[];
  /** Each distinct distribution of the study once, by content hash (as the SQLite store keeps them). */
  readonly distributions: Map<string, Distribution>;
  /** The list `getAllTrials` last returned (never changed once returned) and the numbers of the trials written since. */
  readonly listed: { list: readonly FrozenTrial[]; readonly stale: Set<number> };
}

interface ParamRecord {
  /** The study's shared frozen copy: trials hold a reference, not a copy of (say) a 10k-choice list. */
  readonly distribution: Distribution;
  readonly internal: number;
}

interface TrialRecord {
  readonly trialId: number;
  readonly studyId: number;
  readonly number: number;
  state: FrozenTrial['state'];
  value: EncodedValue | null;
  readonly params: Map<string, ParamRecord>;
  readonly intermediate: Map<number, EncodedValue>;
  readonly attrs: { user: Map<string, string>; system: Map<string, string> };
  datetimeStart: number | null;
  datetimeComplete: number | null;
  heartbeat: number | null;
  error: FrozenTrial['error'];
  worker: string | null;
  readonly seed: number | null;
  readonly codeVersion: string | null;
  readonly budget: string | null;
  readonly retryOf: number | null;
  /** Snapshot built on the last read; dropped by every write. */
  snapshot: FrozenTrial | undefined;
}

const decodeAttrs = (m: Map<string, string>): Attrs => Object.fromEntries([...m].map(([k, v]) => [k, decodeJson<AttrValue>(v)]));
const decodeEncoded = (v: EncodedValue): number => decodeValue(v.value, v.valueType) as number;

/**
 * The Storage contract kept in this process's memory: for tests, notebooks and `--storage memory:`.
 * Values are kept in the same checked, encoded form as the SQLite store keeps them, so both behave alike.
 *
 * @example
 * const storage = new InMemoryStorage(); // or new InMemoryStorage({ clock: () => now }) to control time
 * const study = await storage.createStudy({ name: 'demo', direction: 'minimize' });
 * const trial = await storage.createTrial(study.studyId);
 * await storage.finishTrial(trial.trialId, { state: 'COMPLETE', value: 0.5 });
 */
export class InMemoryStorage implements Storage {
  readonly url = 'memory:';
  readonly #studies = new Map<number, StudyRecord>();
  readonly #trials = new Map<number, TrialRecord>();
  readonly #clock: () => number;
  readonly #tracking: MemoryTracking;
  #nextStudyId = 1;
  #nextTrialId = 1;

  constructor(options: StorageOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#tracking = new MemoryTracking((trialId) => this.#trial(trialId), this.#clock);
  }

  async createStudy(opts: { name: string; direction: StudyDirection; userAttrs?: Attrs; systemAttrs?: Attrs }): Promise<FrozenStudy> {
    const name = checkStudyName(opts.name);
    const direction = checkDirection(opts.direction);
    if (this.#byName(name)) throw studyExists(name);
    const attrs = { user: encodeAll(opts.userAttrs, 'study'), system: encodeAll(opts.systemAttrs, 'study') };
    const study: StudyRecord = { studyId: this.#nextStudyId++, name, direction, createdAt: this.#clock(), attrs, trialIds: [], distributions: new Map(),
      listed: { list: [], stale: new Set() } };
    this.#studies.set(study.studyId, study);
    return freezeStudy(study);
  }

  async findStudy(name: string): Promise<FrozenStudy | undefined> {
    const s = this.#byName(name);
    return s && freezeStudy(s);
  }

  async getStudy(name: string): Promise<FrozenStudy> {
    const s = this.#byName(name);
    if (!s) throw studyNotFound(name);
    return freezeStudy(s);
  }

  async listStudies(): Promise<readonly StudySummary[]> {
    return [...this.#studies.values()].map((s) => {
      const counts = emptyCounts();
      let best: { number: number; value: number } | undefined;
      for (const id of s.trialIds) {
        const t = this.#trial(id);
        counts[t.state] += 1;
        if (t.state !== 'COMPLETE' || t.value === null) continue;
        const value = decodeEncoded(t.value);
        if (!best || isBetter(value, best.value, s.direction)) best = { number: t.number, value };
      }
      return summarize(freezeStudy(s), counts, best);
    });
  }

  async deleteStudy(name: string): Promise<void> {
    const s = this.#byName(name);
    if (!s) throw studyNotFound(name);
    for (const id of s.trialIds) {
      this.#trials.delete(id);
      this.#tracking.dropTrial(id);
    }
    this.#studies.delete(s.studyId);
  }

  async renameStudy(name: string, newName: string): Promise<FrozenStudy> {
    const s = this.#byName(name);
    if (!s) throw studyNotFound(name);
    const to = checkStudyName(newName);
    if (this.#byName(to)) throw renameTargetTaken(to);
    const renamed: StudyRecord = { ...s, name: to };
    this.#studies.set(s.studyId, renamed);
    return freezeStudy(renamed);
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    const s = this.#study(studyId);
    s.attrs[attrKind(kind)].set(key, encodeAttr(key, value, `study "${s.name}" ${kind}`));
  }

  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    const study = this.#study(studyId);
    checkTemplate(template);
    if (template.maxActive !== undefined) {
      const nActive = study.trialIds.filter((id) => ['COMPLETE', 'RUNNING'].includes(this.#trial(id).state)).length;
      checkActiveQuota(study.name, template, nActive);
    }
    const number = study.trialIds.length;
    const label = `new trial ${number} of study "${study.name}"`;
    const entries = Object.entries(template.params ?? {});
    for (const [name, p] of entries) checkParam(label, name, p.distribution, p.internal);
    const attrs = { user: encodeAll(template.userAttrs, label), system: encodeAll(template.systemAttrs, label) };
    // Interned only once nothing else can refuse the template.
    const params = new Map(entries.map(([name, p]) => [name, this.#param(study, p.distribution, p.internal)]));
    const state = template.state ?? 'RUNNING';
    const record: TrialRecord = {
      trialId: this.#nextTrialId++, studyId, number, state, value: null, params, intermediate: new Map(), attrs,
      datetimeStart: state === 'RUNNING' ? this.#clock() : null, datetimeComplete: null, heartbeat: null, error: null,
      worker: template.worker ?? null, seed: template.seed ?? null, codeVersion: template.codeVersion ?? null,
      budget: template.budget ? JSON.stringify(template.budget) : null, retryOf: template.retryOf ?? null, snapshot: undefined,
    };
    this.#trials.set(record.trialId, record);
    study.trialIds.push(record.trialId);
    return this.#snapshot(record);
  }

  async claimWaitingTrial(studyId: number, worker: string, opts: { readonly maxActive?: number } = {}): Promise<FrozenTrial | undefined> {
    const study = this.#study(studyId);
    if (opts.maxActive !== undefined) {
      const nActive = study.trialIds.filter((id) => ['COMPLETE', 'RUNNING'].includes(this.#trial(id).state)).length;
      checkActiveQuota(study.name, opts, nActive);
    }
    const waiting = study.trialIds.map((id) => this.#trial(id)).find((t) => t.state === 'WAITING');
    if (!waiting) return undefined;
    this.#write(waiting, 'claim', (t) => {
      t.state = 'RUNNING';
      t.worker = worker;
      t.datetimeStart = this.#clock();
    });
    return this.#snapshot(waiting);
  }

  async setTrialParam(trialId: number, name: string, distribution: Distribution, internal: number): Promise<void> {
    const t = this.#trial(trialId);
    const label = `trial ${t.number}`;
    checkWritable(t, `set parameter "${name}" on`);
    checkParam(label, name, distribution, internal);
    if (t.params.has(name)) throw paramAlreadySet(label, name);
    this.#write(t, 'set a parameter on', (r) => r.params.set(name, this.#param(this.#study(r.studyId), distribution, internal)));
  }

  async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    const t = this.#trial(trialId);
    const label = `trial ${t.number}`;
    const seen = new Set<string>();
    for (const { name, distribution, internal } of params) {
      checkWritable(t, `set parameter "${name}" on`);
      checkParam(label, name, distribution, internal);
      if (t.params.has(name) || seen.has(name)) throw paramAlreadySet(label, name);
      seen.add(name);
    }
    this.#write(t, 'set parameters on', (r) => {
      const study = this.#study(r.studyId);
      for (const { name, distribution, internal } of params) r.params.set(name, this.#param(study, distribution, internal));
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const t = this.#trial(trialId);
    checkWritable(t, 'report an intermediate value to');
    const what = `intermediate value of trial ${t.number}`;
    const encoded = encodeValue(value, `${what} at step ${String(step)}`);
    checkStep(step, what);
    this.#write(t, 'report to', (r) => r.intermediate.set(step, encoded));
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    const t = this.#trial(trialId);
    checkWritable(t, `set attribute "${key}" on`);
    const json = encodeAttr(key, value, `trial ${t.number} ${kind}`);
    this.#write(t, 'set an attribute on', (r) => r.attrs[attrKind(kind)].set(key, json));
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    this.#write(this.#trial(trialId), 'record a heartbeat for', (r) => {
      r.heartbeat = this.#clock();
    });
  }

  async finishTrial(trialId: number, finish: TrialFinish): Promise<FrozenTrial> {
    const t = this.#trial(trialId);
    checkWritable(t, 'finish');
    const checked = checkFinish(`trial ${t.number}`, finish);
    this.#write(t, 'finish', (r) => {
      const last = [...r.intermediate].sort((a, b) => b[0] - a[0])[0];
      r.state = checked.state;
      r.value = checked.value === undefined ? (last?.[1] ?? null) : checked.value;
      r.error = checked.error;
      r.datetimeComplete = this.#clock();
      r.datetimeStart ??= r.datetimeComplete;
    });
    return this.#snapshot(t);
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.#snapshot(this.#trial(trialId));
  }

  async findTrialByNumber(studyId: number, number: number): Promise<FrozenTrial | undefined> {
    const id = this.#study(studyId).trialIds[number];
    return id === undefined ? undefined : this.#snapshot(this.#trial(id));
  }

  async getAllTrials(studyId: number, query: TrialQuery = {}): Promise<readonly FrozenTrial[]> {
    const all = this.#list(this.#study(studyId));
    const states = query.states;
    return states ? all.filter((t) => states.includes(t.state)) : all;
  }

  async findStaleTrials(studyId: number, olderThanMs: number): Promise<readonly FrozenTrial[]> {
    const cutoff = this.#clock() - checkAgeMs(olderThanMs);
    const running = await this.getAllTrials(studyId, { states: ['RUNNING'] });
    return running.filter((t) => (t.heartbeat ?? t.datetimeStart ?? new Date(0)).getTime() < cutoff);
  }

  async appendMetrics(owner: MetricOwner, points: readonly MetricPoint[]): Promise<void> {
    this.#tracking.appendMetrics(owner, points);
  }

  async getMetrics(owner: MetricOwner, name?: string): Promise<readonly Required<MetricPoint>[]> {
    return this.#tracking.getMetrics(owner, name);
  }

  async appendLogs(owner: MetricOwner, lines: readonly LogLine[]): Promise<void> {
    this.#tracking.appendLogs(owner, lines);
  }

  async getLogs(owner: MetricOwner): Promise<readonly LogLine[]> {
    return this.#tracking.getLogs(owner);
  }

  async createRun(opts: NewRun): Promise<FrozenRun> {
    return this.#tracking.createRun(opts);
  }

  async finishRun(runId: number, finish: Parameters<Storage['finishRun']>[1]): Promise<FrozenRun> {
    return this.#tracking.finishRun(runId, finish);
  }

  async getRun(runId: number): Promise<FrozenRun> {
    return this.#tracking.getRun(runId);
  }

  async listRuns(): Promise<readonly FrozenRun[]> {
    return this.#tracking.listRuns();
  }

  async close(): Promise<void> {
    // Nothing to release: the data lives and dies with this object.
  }

  #byName(name: string): StudyRecord | undefined {
    for (const s of this.#studies.values()) if (s.name === name) return s;
    return undefined;
  }

  #study(studyId: number): StudyRecord {
    const s = this.#studies.get(studyId);
    if (!s) throw studyNotFound(studyId);
    return s;
  }

  #trial(trialId: number): TrialRecord {
    const t = this.#trials.get(trialId);
    if (!t) throw trialNotFound(trialId);
    return t;
  }

  /**
   * A checked parameter, its distribution interned in the study: the first trial to use a distribution stores a
   * frozen copy made through the same canonical JSON as the SQLite store (so both read back alike), the rest
   * point at it.
   */
  #param(study: StudyRecord, distribution: Distribution, internal: number): ParamRecord {
    const { hash, json } = storedDistribution(distribution);
    let shared = study.distributions.get(hash);
    if (!shared) study.distributions.set(hash, (shared = parseStoredDistribution(json)));
    return { distribution: shared, internal };
  }

  /** Every mutation of a trial goes through here: the immutability rule and snapshot invalidation in one place. */
  #write(t: TrialRecord, action: string, apply: (r: TrialRecord) => void): void {
    checkWritable(t, action);
    apply(t);
    t.snapshot = undefined;
    this.#studies.get(t.studyId)?.listed.stale.add(t.number);
  }

  /**
   * The study's trials by number: the list returned last while no trial changed, else one copy of it with the
   * snapshots of the trials written or created since in place. Snapshotting every trial per call cost O(n) map
   * lookups per ask (4 ms of CPU per in-memory lifecycle at 20,000 trials, docs/benchmarks/store.md, session 29).
   */
  #list(study: StudyRecord): readonly FrozenTrial[] {
    const listed = study.listed;
    const old = listed.list;
    if (listed.stale.size === 0 && old.length === study.trialIds.length) return old;
    const list = old.concat(study.trialIds.slice(old.length).map((id) => this.#snapshot(this.#trial(id))));
    for (const number of listed.stale) if (number < old.length) list[number] = this.#snapshot(this.#trial(study.trialIds[number]));
    listed.stale.clear();
    listed.list = list;
    return list;
  }

  #snapshot(t: TrialRecord): FrozenTrial {
    t.snapshot ??= freezeTrial({
      ...t,
      value: t.value && decodeEncoded(t.value),
      params: t.params,
      intermediate: [...t.intermediate].map(([step, v]) => [step, decodeEncoded(v)] as const),
      userAttrs: decodeAttrs(t.attrs.user),
      systemAttrs: decodeAttrs(t.attrs.system),
      budget: t.budget === null ? null : (JSON.parse(t.budget) as FrozenTrial['budget']),
    });
    return t.snapshot;
  }
}

function encodeAll(attrs: Attrs | undefined, what: string): Map<string, string> {
  return new Map(Object.entries(attrs ?? {}).map(([k, v]) => [k, encodeAttr(k, v, what)]));
}

function freezeStudy(s: StudyRecord): FrozenStudy {
  return Object.freeze({
    studyId: s.studyId,
    name: s.name,
    direction: s.direction,
    createdAt: new Date(s.createdAt),
    userAttrs: Object.freeze(decodeAttrs(s.attrs.user)),
    systemAttrs: Object.freeze(decodeAttrs(s.attrs.system)),
  });
}
