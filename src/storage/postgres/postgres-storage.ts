import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Attrs, FrozenRun, FrozenStudy, FrozenTrial, LogLine, MetricPoint, StudyDirection, StudySummary } from '../../core/frozen.js';
import { checkAgeMs, checkAttrKind, checkDirection, checkFinish, checkStudyName, studyNotFound, trialNotFound } from '../checks.js';
import type { MetricOwner, Storage, TrialAttrInput, TrialFinish, TrialParamInput, TrialQuery, TrialTemplate } from '../storage.js';
import { checkLogs, checkMetrics, checkOwner, checkRun, checkRunFinish } from '../tracking-checks.js';
import { StudyTrialCache } from '../trial-cache.js';
import { StorageError } from '../../errors.js';
import { checkStep, encodeValue } from '../values.js';
import { PgConnection, type PgTx, type PostgresOptions } from './connection.js';
import { createStudyInTx, deleteStudyInTx, findStudyInTx, listStudiesInTx, renameStudyInTx, setStudyAttrInTx } from './study-queries.js';
import {
  appendLogsInTx, appendMetricsInTx, checkOwnerInTx, createRunInTx, finishRunInTx, getLogsInTx, getMetricsInTx, getRunInTx, listRunsInTx,
} from './tracking-queries.js';
import { PgTrialLoader } from './trial-loader.js';
import {
  claimWaitingInTx, createTrialInTx, finishTrialInTx, heartbeatInTx, reapExpiredInTx, setParamsInTx, setTrialAttrsInTx, studyNameInTx, writableInTx,
} from './trial-writes.js';
import { PgValueWriter } from './value-writer.js';

/** A write that may run twice with the effect of once (connection.ts `write`). */
const IDEMPOTENT = { idempotent: true } as const;

/**
 * The study store on a PostgreSQL database (pg + drizzle-orm pg-core), shared by `tune` processes on any number
 * of hosts. A trial's life costs three short transactions (create or claim, params, finish) plus one per batch of
 * intermediate values; finished trials are cached per study, so `getAllTrials` reads only new and unfinished ones.
 *
 * @example
 * const storage = await PostgresStorage.open('postgresql://ci@db.internal/tuning', { poolSize: 8 });
 * const study = await storage.createStudy({ name: 'demo', direction: 'minimize' });
 * const trial = await storage.createTrial(study.studyId);
 * await storage.finishTrial(trial.trialId, { state: 'COMPLETE', value: 0.5 });
 * await storage.close();
 */
export class PostgresStorage implements Storage {
  /** The URL with its password replaced by `***`. */
  readonly url: string;
  readonly #conn: PgConnection;
  readonly #clock: () => number;
  readonly #leaseMs: number;
  /** How long a RUNNING trial's lease lasts after its start or last heartbeat (server clock). */
  get leaseMs(): number {
    return this.#leaseMs;
  }
  readonly #loader = new PgTrialLoader();
  readonly #values: PgValueWriter;
  readonly #caches = new Map<number, StudyTrialCache>();
  /**
   * Distributions (`studyId:hash`) this process saw committed, so setting params skips re-inserting them.
   */
  readonly #storedHashes = new Set<string>();
  /** Finished trials by id, for `getTrial` (they never change). */
  readonly #finished = new Map<number, FrozenTrial>();

  private constructor(conn: PgConnection, clock: () => number, leaseMs: number) {
    this.#conn = conn;
    this.url = conn.target.display;
    this.#clock = clock;
    this.#leaseMs = leaseMs;
    this.#values = new PgValueWriter(conn);
  }

  /** Connects and migrates. Prefer `openStorage('postgresql://…')`. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
    if (options.leaseMs !== undefined && !(Number.isFinite(options.leaseMs) && options.leaseMs > 0)) {
      throw new StorageError(`leaseMs must be a positive number of milliseconds, got ${options.leaseMs}`);
    }
    const conn = await PgConnection.open(url, options);
    return new PostgresStorage(conn, options.clock ?? Date.now, options.leaseMs ?? conn.target.leaseMs ?? 60_000);
  }

  async createStudy(opts: { name: string; direction: StudyDirection; userAttrs?: Attrs; systemAttrs?: Attrs }): Promise<FrozenStudy> {
    const checked = { ...opts, name: checkStudyName(opts.name), direction: checkDirection(opts.direction) };
    return this.#conn.write(`creating study "${opts.name}"`, ({ db }) => createStudyInTx(db, checked, this.#clock()));
  }

  async findStudy(name: string): Promise<FrozenStudy | undefined> {
    return this.#conn.read(`reading study "${name}"`, ({ db }) => findStudyInTx(db, { name }));
  }

  async getStudy(name: string): Promise<FrozenStudy> {
    const study = await this.findStudy(name);
    if (!study) throw studyNotFound(name);
    return study;
  }

  async listStudies(): Promise<readonly StudySummary[]> {
    return this.#conn.read('listing studies', ({ db }) => listStudiesInTx(db));
  }

  async deleteStudy(name: string): Promise<void> {
    const studyId = await this.#conn.write(`deleting study "${name}"`, ({ db }) => deleteStudyInTx(db, name));
    this.#caches.delete(studyId);
    for (const [id, t] of this.#finished) if (t.studyId === studyId) this.#finished.delete(id);
  }

  async renameStudy(name: string, newName: string): Promise<FrozenStudy> {
    const to = checkStudyName(newName);
    return this.#conn.write(`renaming study "${name}" to "${to}"`, ({ db }) => renameStudyInTx(db, name, to));
  }

  async setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkAttrKind(kind);
    await this.#conn.write(`setting study attribute "${key}"`, async ({ db, client }) => {
      await setStudyAttrInTx(db, studyId, kind, key, value, await studyNameInTx(client, studyId));
    });
  }

  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    return this.#conn.write('creating a trial', async (tx) => this.#loadInTx(tx, await createTrialInTx(tx.client, studyId, template, this.#clock(), this.#leaseMs)));
  }

  async claimWaitingTrial(studyId: number, worker: string): Promise<FrozenTrial | undefined> {
    return this.#conn.write('claiming a waiting trial', async (tx) => {
      const trialId = await claimWaitingInTx(tx.client, studyId, worker, this.#clock(), this.#leaseMs);
      return trialId === undefined ? undefined : this.#loadInTx(tx, trialId);
    });
  }

  async setTrialParam(trialId: number, name: string, distribution: Distribution, internal: number): Promise<void> {
    await this.setTrialParams(trialId, [{ name, distribution, internal }]);
  }

  async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    const hashes = await this.#conn.write(`setting ${params.length} parameters`, ({ client }) => setParamsInTx(client, trialId, params, this.#storedHashes));
    // Committed now, so these distributions exist for good (they go only with their study, whose id is never reused).
    for (const h of hashes) this.#storedHashes.add(h);
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const what = `intermediate value of trial id ${trialId}`;
    const encoded = encodeValue(value, `${what} at step ${String(step)}`);
    return this.#values.write(trialId, checkStep(step, what), encoded);
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkAttrKind(kind);
    await this.setTrialAttrs(trialId, [{ kind, key, value }]);
  }

  async setTrialAttrs(trialId: number, attrs: readonly TrialAttrInput[]): Promise<void> {
    for (const a of attrs) checkAttrKind(a.kind);
    await this.#conn.write(`setting ${attrs.length} trial attributes`, ({ client }) => setTrialAttrsInTx(client, trialId, attrs), IDEMPOTENT);
  }

  async setTrialWrites(trialId: number, writes: { readonly params: readonly TrialParamInput[]; readonly attrs: readonly TrialAttrInput[] }): Promise<void> {
    for (const a of writes.attrs) checkAttrKind(a.kind);
    const hashes = await this.#conn.write(`setting ${writes.params.length} parameters and ${writes.attrs.length} attributes`, async ({ client }) => {
      const stored = writes.params.length === 0 ? [] : await setParamsInTx(client, trialId, writes.params, this.#storedHashes);
      await setTrialAttrsInTx(client, trialId, writes.attrs);
      return stored;
    });
    for (const h of hashes) this.#storedHashes.add(h);
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.#conn.write('recording a heartbeat', ({ client }) => heartbeatInTx(client, trialId, this.#clock(), this.#leaseMs), IDEMPOTENT);
  }

  async finishTrial(trialId: number, finish: TrialFinish): Promise<FrozenTrial> {
    // Values reported before the finish must land first, or they would be refused as writes to a finished trial.
    await this.#values.flush();
    const trial = await this.#conn.write('finishing a trial', async (tx) => {
      const head = await writableInTx(tx.client, trialId, 'finish');
      await finishTrialInTx(tx.client, trialId, checkFinish(`trial ${head.number}`, finish), this.#clock());
      return this.#loadInTx(tx, trialId);
    });
    this.#remember(trial);
    return trial;
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const cached = this.#finished.get(trialId);
    if (cached) return cached;
    return this.#conn.read('reading a trial', (tx) => this.#loadInTx(tx, trialId));
  }

  async findTrialByNumber(studyId: number, number: number): Promise<FrozenTrial | undefined> {
    const trial = await this.#conn.read('reading a trial', async ({ client }) => {
      await studyNameInTx(client, studyId);
      return this.#loader.findByNumber(client, studyId, number);
    });
    if (trial) this.#remember(trial);
    return trial;
  }

  async getAllTrials(studyId: number, query: TrialQuery = {}): Promise<readonly FrozenTrial[]> {
    const all = await this.#conn.read('reading trials', async ({ client }) => {
      await studyNameInTx(client, studyId);
      let cache = this.#caches.get(studyId);
      if (!cache) this.#caches.set(studyId, (cache = new StudyTrialCache()));
      const fresh = await this.#loader.studyTrials(client, studyId, cache.maxTrialId, cache.unfinishedIds);
      for (const t of fresh) this.#remember(t);
      return cache.update(fresh);
    });
    const states = query.states;
    return states ? all.filter((t) => states.includes(t.state)) : all;
  }

  async findStaleTrials(studyId: number, olderThanMs: number): Promise<readonly FrozenTrial[]> {
    const cutoff = this.#clock() - checkAgeMs(olderThanMs);
    return this.#conn.read('finding stale trials', async ({ client }) => {
      await studyNameInTx(client, studyId);
      const { rows } = await client.query<{ trialId: number }>(
        `SELECT trial_id AS "trialId" FROM trials WHERE study_id = $1 AND state = 'RUNNING' AND COALESCE(heartbeat, datetime_start, 0) < $2`,
        [studyId, cutoff],
      );
      return rows.length === 0 ? [] : this.#loader.studyTrials(client, studyId, Number.MAX_SAFE_INTEGER, rows.map((r) => r.trialId));
    });
  }

  async reapExpiredLeases(studyId: number, reaper: string): Promise<readonly FrozenTrial[]> {
    const ids = await this.#conn.write('failing trials whose lease expired', async ({ client }) => {
      await studyNameInTx(client, studyId);
      return reapExpiredInTx(client, studyId, this.#clock(), reaper);
    }, IDEMPOTENT);
    if (ids.length === 0) return [];
    // Finished now, so immutable: reading them after the commit sees exactly what was written.
    const reaped = await this.#conn.read('reading reaped trials', ({ client }) => this.#loader.studyTrials(client, studyId, Number.MAX_SAFE_INTEGER, ids));
    for (const t of reaped) this.#remember(t);
    return reaped;
  }

  async appendMetrics(owner: MetricOwner, points: readonly MetricPoint[]): Promise<void> {
    const checked = checkMetrics(checkOwner(owner), points, this.#clock());
    await this.#conn.write('appending metrics', async ({ db, client }) => {
      await checkOwnerInTx(db, client, owner, 'append metrics to');
      if (checked.length > 0) await appendMetricsInTx(db, owner, checked);
    });
  }

  async getMetrics(owner: MetricOwner, name?: string): Promise<readonly Required<MetricPoint>[]> {
    checkOwner(owner);
    return this.#conn.read('reading metrics', async ({ db, client }) => {
      await checkOwnerInTx(db, client, owner);
      return getMetricsInTx(db, owner, name);
    });
  }

  async appendLogs(owner: MetricOwner, lines: readonly LogLine[]): Promise<void> {
    const checked = checkLogs(checkOwner(owner), lines);
    await this.#conn.write('appending logs', async ({ db, client }) => {
      await checkOwnerInTx(db, client, owner, 'append logs to');
      if (checked.length > 0) await appendLogsInTx(db, owner, checked);
    });
  }

  async getLogs(owner: MetricOwner): Promise<readonly LogLine[]> {
    checkOwner(owner);
    return this.#conn.read('reading logs', async ({ db, client }) => {
      await checkOwnerInTx(db, client, owner);
      return getLogsInTx(db, owner);
    });
  }

  async createRun(opts: { studyName: string | null; trialNumber?: number | null; subsystem: string; config: Attrs; codeVersion: string | null }): Promise<FrozenRun> {
    const checked = checkRun(opts);
    return this.#conn.write('creating a run', ({ db }) => createRunInTx(db, checked, this.#clock()));
  }

  async finishRun(runId: number, finish: Parameters<Storage['finishRun']>[1]): Promise<FrozenRun> {
    const checked = checkRunFinish(runId, finish);
    return this.#conn.write(`finishing run ${runId}`, ({ db }) => finishRunInTx(db, runId, checked, this.#clock()));
  }

  async getRun(runId: number): Promise<FrozenRun> {
    return this.#conn.read(`reading run ${runId}`, ({ db }) => getRunInTx(db, runId));
  }

  async listRuns(): Promise<readonly FrozenRun[]> {
    return this.#conn.read('listing runs', ({ db }) => listRunsInTx(db));
  }

  /** Commits any queued intermediate values, then closes the pool. */
  async close(): Promise<void> {
    await this.#values.flush();
    await this.#conn.close();
  }

  async #loadInTx(tx: PgTx, trialId: number): Promise<FrozenTrial> {
    const t = await this.#loader.findById(tx.client, trialId);
    if (!t) throw trialNotFound(trialId);
    return t;
  }

  #remember(t: FrozenTrial): void {
    if (t.state !== 'COMPLETE' && t.state !== 'PRUNED' && t.state !== 'FAIL') return;
    this.#finished.set(t.trialId, t);
    this.#caches.get(t.studyId)?.remember(t);
  }
}
