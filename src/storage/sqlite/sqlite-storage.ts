import { and, eq, lt, sql } from 'drizzle-orm';
import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Attrs, FrozenRun, FrozenStudy, FrozenTrial, LogLine, MetricPoint, StudyDirection, StudySummary } from '../../core/frozen.js';
import { checkAgeMs, checkAttrKind, checkDirection, checkFinish, checkStudyName, studyNotFound, trialNotFound } from '../checks.js';
import type { MetricOwner, NewRun, Storage, TrialFinish, TrialParamInput, TrialQuery, TrialTemplate } from '../storage.js';
import { checkLogs, checkMetrics, checkOwner, checkRun, checkRunFinish } from '../tracking-checks.js';
import { checkStep, encodeValue } from '../values.js';
import { Connection, type SqliteOptions } from './connection.js';
import { trials } from './schema.js';
import { createStudyInTx, deleteStudyInTx, findStudyInTx, listStudiesInTx, renameStudyInTx, setStudyAttrInTx } from './study-queries.js';
import {
  appendLogsInTx, appendMetricsInTx, checkOwnerInTx, createRunInTx, finishRunInTx, getLogsInTx, getMetricsInTx, getRunInTx, listRunsInTx,
} from './tracking-queries.js';
import { StudyTrialCache } from '../trial-cache.js';
import { TrialLoader } from './trial-loader.js';
import { TrialWrites } from './trial-writes.js';
import { IntermediateValueWriter } from './value-writer.js';

/**
 * The study store on one SQLite file (better-sqlite3 + drizzle-orm), shareable by several `tune` processes.
 * Every write is one `BEGIN IMMEDIATE` transaction, committed (WAL, synchronous=NORMAL) before its promise
 * resolves; finished trials are cached per study, so `getAllTrials` reads only new and unfinished trials.
 *
 * @example
 * const storage = await SqliteStorage.open('studies/tuning.db');
 * const study = await storage.createStudy({ name: 'demo', direction: 'minimize' });
 * const trial = await storage.createTrial(study.studyId);
 * await storage.setTrialIntermediateValue(trial.trialId, 0, 0.9);
 * await storage.finishTrial(trial.trialId, { state: 'COMPLETE', value: 0.5 });
 * await storage.close();
 */
export class SqliteStorage implements Storage {
  readonly url: string;
  readonly #conn: Connection;
  readonly #clock: () => number;
  readonly #writes: TrialWrites;
  readonly #loader: TrialLoader;
  readonly #values: IntermediateValueWriter;
  readonly #caches = new Map<number, StudyTrialCache>();
  /** Finished trials by id, for `getTrial` (they never change). */
  readonly #finished = new Map<number, FrozenTrial>();

  private constructor(conn: Connection, url: string, clock: () => number) {
    this.#conn = conn;
    this.url = url;
    this.#clock = clock;
    this.#writes = new TrialWrites(conn.db, conn.sqlite);
    this.#loader = new TrialLoader(conn.db);
    this.#values = new IntermediateValueWriter(conn);
  }

  /**
   * Opens the store in `file`: for writing (creating and migrating as needed; the folder must exist unless
   * `createParentDirs`), or with `readOnly` for reading an existing one. Prefer `openStorage('sqlite:<path>')`.
   */
  static async open(file: string, options: SqliteOptions = {}): Promise<SqliteStorage> {
    return new SqliteStorage(await Connection.open(file, options), `sqlite:${file}`, options.clock ?? Date.now);
  }

  async createStudy(opts: { name: string; direction: StudyDirection; userAttrs?: Attrs; systemAttrs?: Attrs }): Promise<FrozenStudy> {
    const checked = { ...opts, name: checkStudyName(opts.name), direction: checkDirection(opts.direction) };
    return this.#conn.write(`creating study "${opts.name}"`, () => createStudyInTx(this.#conn.db, checked, this.#clock()));
  }

  async findStudy(name: string): Promise<FrozenStudy | undefined> {
    return this.#conn.read(`reading study "${name}"`, () => findStudyInTx(this.#conn.db, { name }));
  }

  async getStudy(name: string): Promise<FrozenStudy> {
    const study = await this.findStudy(name);
    if (!study) throw studyNotFound(name);
    return study;
  }

  async listStudies(): Promise<readonly StudySummary[]> {
    return this.#conn.read('listing studies', () => listStudiesInTx(this.#conn.db));
  }

  async deleteStudy(name: string): Promise<void> {
    const studyId = await this.#conn.write(`deleting study "${name}"`, () => deleteStudyInTx(this.#conn.db, name));
    this.#caches.delete(studyId);
    for (const [id, t] of this.#finished) if (t.studyId === studyId) this.#finished.delete(id);
  }

  async renameStudy(name: string, newName: string): Promise<FrozenStudy> {
    const to = checkStudyName(newName);
    return this.#conn.write(`renaming study "${name}" to "${to}"`, () => renameStudyInTx(this.#conn.db, name, to));
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkAttrKind(kind);
    await this.#conn.write(`setting study attribute "${key}"`, () => {
      const name = this.#writes.studyNameInTx(studyId);
      setStudyAttrInTx(this.#conn.db, studyId, kind, key, value, name);
    });
  }

  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    return this.#conn.write('creating a trial', () => {
      const { trialId } = this.#writes.createInTx(studyId, template, this.#clock());
      return this.#loadInTx(trialId);
    });
  }

  async claimWaitingTrial(studyId: number, worker: string, opts: { readonly maxActive?: number } = {}): Promise<FrozenTrial | undefined> {
    return this.#conn.write('claiming a waiting trial', () => {
      const trialId = this.#writes.claimInTx(studyId, worker, this.#clock(), opts.maxActive);
      return trialId === undefined ? undefined : this.#loadInTx(trialId);
    });
  }

  async setTrialParam(trialId: number, name: string, distribution: Distribution, internal: number): Promise<void> {
    await this.#conn.write(`setting parameter "${name}"`, () => this.#writes.setParamInTx(trialId, name, distribution, internal));
  }

  async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    await this.#conn.write(`setting ${params.length} parameters`, () => {
      for (const p of params) this.#writes.setParamInTx(trialId, p.name, p.distribution, p.internal);
    });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const what = `intermediate value of trial id ${trialId}`;
    const encoded = encodeValue(value, `${what} at step ${String(step)}`);
    return this.#values.write(trialId, checkStep(step, what), encoded);
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkAttrKind(kind);
    await this.#conn.write(`setting trial attribute "${key}"`, () => this.#writes.setAttrInTx(trialId, kind, key, value));
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.#conn.write('recording a heartbeat', () => this.#writes.heartbeatInTx(trialId, this.#clock()));
  }

  async finishTrial(trialId: number, finish: TrialFinish): Promise<FrozenTrial> {
    // Values reported before the finish must land first, or they would be refused as writes to a finished trial.
    await this.#values.flush();
    const trial = await this.#conn.write('finishing a trial', () => {
      const head = this.#writes.writableInTx(trialId, 'finish');
      this.#writes.finishInTx(trialId, checkFinish(`trial ${head.number}`, finish), this.#clock());
      return this.#loadInTx(trialId);
    });
    this.#remember(trial);
    return trial;
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const cached = this.#finished.get(trialId);
    if (cached) return cached;
    return this.#conn.read('reading a trial', () => this.#loadInTx(trialId));
  }

  async findTrialByNumber(studyId: number, number: number): Promise<FrozenTrial | undefined> {
    const trial = this.#conn.read('reading a trial', () => {
      this.#writes.studyNameInTx(studyId);
      return this.#loader.findByNumber(studyId, number);
    });
    if (trial) this.#remember(trial);
    return trial;
  }

  async getAllTrials(studyId: number, query: TrialQuery = {}): Promise<readonly FrozenTrial[]> {
    const all = this.#conn.read('reading trials', () => {
      this.#writes.studyNameInTx(studyId);
      let cache = this.#caches.get(studyId);
      if (!cache) this.#caches.set(studyId, (cache = new StudyTrialCache()));
      const fresh = this.#loader.studyTrials(studyId, cache.maxTrialId, cache.unfinishedIds);
      for (const t of fresh) this.#remember(t);
      return cache.update(fresh);
    });
    const states = query.states;
    return states ? all.filter((t) => states.includes(t.state)) : all;
  }

  async findStaleTrials(studyId: number, olderThanMs: number): Promise<readonly FrozenTrial[]> {
    const cutoff = this.#clock() - checkAgeMs(olderThanMs);
    return this.#conn.read('finding stale trials', () => {
      this.#writes.studyNameInTx(studyId);
      const ids = this.#conn.db
        .select({ trialId: trials.trialId })
        .from(trials)
        .where(and(eq(trials.studyId, studyId), eq(trials.state, 'RUNNING'), lt(sql`COALESCE(${trials.heartbeat}, ${trials.datetimeStart}, 0)`, cutoff)))
        .all()
        .map((r) => r.trialId);
      return ids.length === 0 ? [] : this.#loader.studyTrials(studyId, Number.MAX_SAFE_INTEGER, ids);
    });
  }

  async appendMetrics(owner: MetricOwner, points: readonly MetricPoint[]): Promise<void> {
    const checked = checkMetrics(checkOwner(owner), points, this.#clock());
    await this.#conn.write('appending metrics', () => {
      checkOwnerInTx(this.#conn.db, this.#writes, owner, 'append metrics to');
      appendMetricsInTx(this.#conn.db, owner, checked);
    });
  }

  async getMetrics(owner: MetricOwner, name?: string): Promise<readonly Required<MetricPoint>[]> {
    checkOwner(owner);
    return this.#conn.read('reading metrics', () => {
      checkOwnerInTx(this.#conn.db, this.#writes, owner);
      return getMetricsInTx(this.#conn.db, owner, name);
    });
  }

  async appendLogs(owner: MetricOwner, lines: readonly LogLine[]): Promise<void> {
    const checked = checkLogs(checkOwner(owner), lines);
    await this.#conn.write('appending logs', () => {
      checkOwnerInTx(this.#conn.db, this.#writes, owner, 'append logs to');
      appendLogsInTx(this.#conn.db, owner, checked);
    });
  }

  async getLogs(owner: MetricOwner): Promise<readonly LogLine[]> {
    checkOwner(owner);
    return this.#conn.read('reading logs', () => {
      checkOwnerInTx(this.#conn.db, this.#writes, owner);
      return getLogsInTx(this.#conn.db, owner);
    });
  }

  async createRun(opts: NewRun): Promise<FrozenRun> {
    const checked = checkRun(opts);
    return this.#conn.write('creating a run', () => createRunInTx(this.#conn.db, checked, this.#clock()));
  }

  async finishRun(runId: number, finish: Parameters<Storage['finishRun']>[1]): Promise<FrozenRun> {
    const checked = checkRunFinish(runId, finish);
    return this.#conn.write(`finishing run ${runId}`, () => finishRunInTx(this.#conn.db, runId, checked, this.#clock()));
  }

  async getRun(runId: number): Promise<FrozenRun> {
    return this.#conn.read(`reading run ${runId}`, () => getRunInTx(this.#conn.db, runId));
  }

  async listRuns(): Promise<readonly FrozenRun[]> {
    return this.#conn.read('listing runs', () => listRunsInTx(this.#conn.db));
  }

  /** Commits any queued intermediate values, then closes the file. */
  async changeCounter(): Promise<number> {
    // data_version changes when another connection commits; it needs no transaction and takes no lock.
    return this.#conn.sqlite.pragma('data_version', { simple: true }) as number;
  }

  async close(): Promise<void> {
    await this.#values.flush();
    this.#conn.close();
  }

  #loadInTx(trialId: number): FrozenTrial {
    const t = this.#loader.findById(trialId);
    if (!t) throw trialNotFound(trialId);
    return t;
  }

  #remember(t: FrozenTrial): void {
    if (t.state !== 'COMPLETE' && t.state !== 'PRUNED' && t.state !== 'FAIL') return;
    this.#finished.set(t.trialId, t);
    this.#caches.get(t.studyId)?.remember(t);
  }
}
