import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Attrs, FrozenRun, FrozenStudy, FrozenTrial, LogLine, MetricPoint, StudyDirection, StudySummary } from '../../core/frozen.js';
import { randomBytes } from 'node:crypto';
import { checkAgeMs, checkAttrKind, checkDirection, checkFinish, checkParam, checkStudyName, checkTemplate, paramAlreadySet, studyNotFound, trialNotFound } from '../checks.js';
import type { AskedTrial, AskTrial, MetricOwner, Storage, TrialAttrInput, TrialFinish, TrialParamInput, TrialQuery, TrialTemplate } from '../storage.js';
import { checkLogs, checkMetrics, checkOwner, checkRun, checkRunFinish } from '../tracking-checks.js';
import { StudyTrialCache } from '../trial-cache.js';
import { StorageError } from '../../errors.js';
import { checkStep, encodeValue } from '../values.js';
import { PgConnection, type PostgresOptions } from './connection.js';
import { createStudyInTx, deleteStudyInTx, findStudyInTx, listStudiesInTx, renameStudyInTx, setStudyAttrInTx } from './study-queries.js';
import {
  appendLogsInTx, appendMetricsInTx, checkOwnerInTx, createRunInTx, finishRunInTx, getLogsInTx, getMetricsInTx, getRunInTx, listRunsInTx,
} from './tracking-queries.js';
import { freezeTrial } from '../snapshot.js';
import { NO_ATTRS, NO_PARAMS, type AttrArrays, type ParamArrays, type TrialRef, askTrialCall, attrArrays, claimWaitingCall, createTrialCall, finishTrialCall, heartbeatCall, paramArrays, reapExpired, trialWritesCall } from './trial-calls.js';
import { PgTrialLoader } from './trial-loader.js';
import { studyNameInTx } from './trial-writes.js';
import { PgValueWriter } from './value-writer.js';

type TrialWrites = { readonly params: readonly TrialParamInput[]; readonly attrs: readonly TrialAttrInput[] };

/**
 * The study store on a PostgreSQL database (pg + drizzle-orm pg-core), shared by `tune` processes on any number
 * of hosts. A trial's life costs at most three statements, each its own transaction and one round trip (the ask:
 * claim or create and the study's read, one-statement-ask.ts; params and attributes, when not carried by the finish;
 * the finish: PL/pgSQL functions, trial-functions.ts), plus one per batch of intermediate values; finished trials are
 * cached per study, so `getAllTrials` and the ask read only new and unfinished ones.
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
  /** Hashes of the distributions this process saw committed, by study, so setting params skips re-inserting them. */
  readonly #storedHashes = new Map<number, Set<string>>();
  /** Finished trials by id, for `getTrial` (they never change). */
  readonly #finished = new Map<number, FrozenTrial>();
  /** Trial numbers by id of the trials this process saw, for the labels of errors found before a write is sent. */
  readonly #numbers = new Map<number, number>();
  /** Study ids by trial id of the trials this process saw. */
  readonly #trialStudies = new Map<number, number>();
  /**
   * The create token of each RUNNING trial this process created and has not finished: its writes send it, so a
   * trial the server lost in a crash (its create commits asynchronously) is never confused with another worker's
   * trial that took its id (trial-ownership.ts).
   */
  readonly #owners = new Map<number, string>();
  /** Write tokens: this process's random prefix and a counter (trial-functions.ts). */
  readonly #tokenPrefix = randomBytes(8).toString('hex');
  #tokenCount = 0;

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

  /**
   * One statement (`parzen_create_trial`); the snapshot is built from what was sent, since nothing else can have
   * written to the trial before it exists.
   */
  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    checkTemplate(template);
    const label = `new trial of study id ${studyId}`;
    const entries = Object.entries(template.params ?? {});
    for (const [n, v] of entries) checkParam(label, n, v.distribution, v.internal);
    const params = paramArrays(entries.map(([name, v]) => ({ name, distribution: v.distribution, internal: v.internal })), this.#storedHashes.get(studyId));
    const attrInputs: TrialAttrInput[] = [
      ...Object.entries(template.userAttrs ?? {}).map(([key, value]) => ({ kind: 'user' as const, key, value })),
      ...Object.entries(template.systemAttrs ?? {}).map(([key, value]) => ({ kind: 'system' as const, key, value })),
    ];
    const attrs = attrArrays(attrInputs, label);
    const now = this.#clock();
    const token = this.#token();
    const created = await this.#conn.statement('creating a trial', (c, retry) =>
      createTrialCall(c, { studyId, template, now, leaseMs: this.#leaseMs, params, attrs, token, retry }),
    );
    this.#storedIn(studyId, params);
    this.#numbers.set(created.trialId, created.number);
    this.#trialStudies.set(created.trialId, studyId);
    const state = template.state ?? 'RUNNING';
    if (state === 'RUNNING') this.#owners.set(created.trialId, token);
    return freezeTrial({
      trialId: created.trialId,
      studyId,
      number: created.number,
      state,
      value: null,
      params: entries.map(([name, v]) => [name, { distribution: structuredClone(v.distribution), internal: v.internal }] as const),
      intermediate: [],
      userAttrs: structuredClone(template.userAttrs ?? {}),
      systemAttrs: structuredClone(template.systemAttrs ?? {}),
      datetimeStart: state === 'RUNNING' ? now : null,
      datetimeComplete: null,
      heartbeat: null,
      error: null,
      worker: template.worker ?? null,
      seed: template.seed ?? null,
      codeVersion: template.codeVersion ?? null,
      budget: template.budget ?? null,
      retryOf: template.retryOf ?? null,
    });
  }

  async claimWaitingTrial(studyId: number, worker: string, opts: { readonly maxActive?: number } = {}): Promise<FrozenTrial | undefined> {
    const now = this.#clock();
    const token = this.#token();
    const trial = await this.#conn.statement('claiming a waiting trial', async (c, retry) => {
      const j = await claimWaitingCall(c, { studyId, worker, now, leaseMs: this.#leaseMs, token, retry, maxActive: opts.maxActive });
      return j === undefined ? undefined : (await this.#loader.freeze(c, [j]))[0];
    });
    if (trial) this.#remember(trial);
    return trial;
  }

  /**
   * One statement (`parzen_ask_trial`, migration 7): the claim or create, then the incremental read of
   * `getAllTrials` in the same transaction, so the trials read include the new one and every trial committed
   * before it. Commits as the claim or the create alone would (a create asynchronously, a claim durably).
   */
  async askTrial(studyId: number, ask: AskTrial): Promise<AskedTrial> {
    const template = ask.template;
    checkTemplate(template);
    const reap = ask.reap;
    if (reap !== undefined) checkRetries(reap.retries);
    const now = this.#clock();
    const token = this.#token();
    const worker = ask.worker;
    const budgetJson = template.budget ? JSON.stringify(template.budget) : null;
    const { asked, trials, reaped, trial } = await this.#conn.statement('asking for a trial', async (c, retry) => {
      const cache = this.#cache(studyId);
      const read = { afterTrialId: cache.maxTrialId, alsoIds: cache.unfinishedIds, heldIds: cache.heldAboveIds };
      // A study read before: the read returns what changed since (usually only the trial created), so the lean ask.
      const lean = read.afterTrialId > 0;
      const asked = await askTrialCall(c, { studyId, claimAs: ask.claimAs, worker, template, now, leaseMs: this.#leaseMs, token, retry, read, reap, budgetJson, lean });
      const got =
        asked.lean !== undefined
          ? await this.#loader.fromLean(c, asked.lean, {
              studyId, now, worker, seed: template.seed ?? null, codeVersion: template.codeVersion ?? null, budgetJson, retryOf: template.retryOf ?? null,
            })
          : await this.#loader.fromRows(c, asked.rows ?? []);
      if (!got) throw studyNotFound(studyId);
      for (const t of got.trials) this.#remember(t);
      const trials = cache.update(got.trials);
      cache.advanceTo(got.maxId);
      // The trial claimed or created is always among the rows read (the function adds it): no scan of the study.
      const reaped = got.trials.filter((t) => asked.reapedIds.includes(t.trialId));
      return { asked, trials, reaped, trial: got.trials.find((t) => t.trialId === asked.trialId) };
    });
    if (trial === undefined) throw new StorageError(`ask of study id ${studyId}: trial id ${asked.trialId} was not in the read that followed it`);
    if (!asked.claimed) this.#owners.set(trial.trialId, token);
    return { trial, trials, reaped };
  }

  async setTrialParam(trialId: number, name: string, distribution: Distribution, internal: number): Promise<void> {
    await this.setTrialParams(trialId, [{ name, distribution, internal }]);
  }

  async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    await this.setTrialWrites(trialId, { params, attrs: [] });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const what = `intermediate value of trial id ${trialId}`;
    const encoded = encodeValue(value, `${what} at step ${String(step)}`);
    return this.#values.write(this.#ref(trialId), checkStep(step, what), encoded);
  }

  async setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void> {
    checkAttrKind(kind);
    await this.setTrialAttrs(trialId, [{ kind, key, value }]);
  }

  async setTrialAttrs(trialId: number, attrs: readonly TrialAttrInput[]): Promise<void> {
    await this.setTrialWrites(trialId, { params: [], attrs });
  }

  /** Params and attributes in one statement (`parzen_trial_writes`), all or none. */
  async setTrialWrites(trialId: number, writes: TrialWrites): Promise<void> {
    if (writes.params.length === 0 && writes.attrs.length === 0) return;
    const { params, attrs, studyId } = this.#checkWrites(trialId, writes);
    const what = writes.params.length > 0 ? `set parameter "${writes.params[0].name}" on` : `set attribute "${writes.attrs[0].key}" on`;
    const token = this.#token();
    const number = await this.#conn.statement(`setting ${writes.params.length} parameters and ${writes.attrs.length} attributes`, (c, retry) =>
      trialWritesCall(c, { ref: this.#ref(trialId), params, attrs, action: what, token, retry }),
    );
    this.#numbers.set(trialId, number);
    this.#storedIn(studyId, params);
  }

  /** Checks and encodes a trial's params and attributes for the trial functions. */
  #checkWrites(trialId: number, writes: TrialWrites): { params: ParamArrays; attrs: AttrArrays; studyId: number | undefined } {
    for (const a of writes.attrs) checkAttrKind(a.kind);
    const label = this.#label(trialId);
    const names = new Set<string>();
    for (const p of writes.params) {
      checkParam(label, p.name, p.distribution, p.internal);
      if (names.has(p.name)) throw paramAlreadySet(label, p.name);
      names.add(p.name);
    }
    const studyId = this.#studyOf(trialId);
    const stored = studyId === undefined ? undefined : this.#storedHashes.get(studyId);
    return { params: paramArrays(writes.params, stored), attrs: attrArrays(writes.attrs, label), studyId };
  }

  /** Committed now, so these distributions exist for good (they go only with their study, whose id is never reused). */
  #storedIn(studyId: number | undefined, params: ParamArrays): void {
    if (studyId === undefined || params.hashes.length === 0) return;
    let stored = this.#storedHashes.get(studyId);
    if (!stored) this.#storedHashes.set(studyId, (stored = new Set()));
    for (const h of params.hashes) stored.add(h);
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.#conn.statement('recording a heartbeat', (c) => heartbeatCall(c, this.#ref(trialId), this.#clock(), this.#leaseMs));
  }

  async finishTrial(trialId: number, finish: TrialFinish): Promise<FrozenTrial> {
    return this.finishTrialWith(trialId, finish, { params: [], attrs: [] });
  }

  /** The finish and the params and attributes given with it, in one statement (`parzen_finish_trial`). */
  async finishTrialWith(trialId: number, finish: TrialFinish, writes: TrialWrites): Promise<FrozenTrial> {
    const checked = checkFinish(this.#label(trialId), finish);
    const some = writes.params.length > 0 || writes.attrs.length > 0;
    const { params, attrs, studyId } = some ? this.#checkWrites(trialId, writes) : { params: NO_PARAMS, attrs: NO_ATTRS, studyId: undefined };
    // Values reported before the finish must land first, or they would be refused as writes to a finished trial.
    if (!this.#values.idle) await this.#values.flush();
    const now = this.#clock();
    const token = this.#token();
    const ref = this.#ref(trialId);
    const trial = await this.#conn
      .statement('finishing a trial', async (c, retry) => {
        const j = await finishTrialCall(c, { ref, finish: checked, params, attrs, now, token, retry });
        return (await this.#loader.freeze(c, [j]))[0];
      })
      .catch((e: unknown) => {
        // Finished by another host, or lost: this process writes to it no more.
        if (e instanceof StorageError && (e.code === 'TRIAL_FINISHED' || e.code === 'TRIAL_LOST')) this.#owners.delete(trialId);
        throw e;
      });
    this.#owners.delete(trialId);
    this.#storedIn(studyId, params);
    this.#remember(trial);
    return trial;
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const cached = this.#finished.get(trialId);
    if (cached) return cached;
    const trial = await this.#conn.statement('reading a trial', (c) => this.#loader.findById(c, trialId));
    if (!trial) throw trialNotFound(trialId);
    this.#remember(trial);
    return trial;
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
    // One statement: the study's check and every trial new or unfinished since the last read, from one snapshot.
    const all = await this.#conn.statement('reading trials', async (c) => {
      const cache = this.#cache(studyId);
      // Trials this process finished itself are held already: the read skips them and says how far it saw.
      const read = await this.#loader.studyAndTrials(c, studyId, { afterTrialId: cache.maxTrialId, alsoIds: cache.unfinishedIds, heldIds: cache.heldAboveIds });
      if (!read) throw studyNotFound(studyId);
      for (const t of read.trials) this.#remember(t);
      const all = cache.update(read.trials);
      cache.advanceTo(read.maxId);
      return all;
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

  async reapExpiredLeases(studyId: number, reaper: string, retries = 0): Promise<readonly FrozenTrial[]> {
    checkRetries(retries);
    const ids = await this.#conn.statement('failing trials whose lease expired', (c) => reapExpired(c, studyId, this.#clock(), reaper, retries));
    if (ids === undefined) throw studyNotFound(studyId);
    if (ids.length === 0) return [];
    // Finished now, so immutable: reading them after the commit sees exactly what was written.
    const reaped = await this.#conn.statement('reading reaped trials', (c) => this.#loader.studyTrials(c, studyId, Number.MAX_SAFE_INTEGER, ids));
    for (const t of reaped) this.#remember(t);
    return reaped;
  }

  async appendMetrics(owner: MetricOwner, points: readonly MetricPoint[]): Promise<void> {
    const checked = checkMetrics(checkOwner(owner), points, this.#clock());
    const owned = 'trialId' in owner ? this.#ref(owner.trialId) : undefined;
    await this.#conn.write('appending metrics', async ({ db, client }) => {
      await checkOwnerInTx(db, client, owner, 'append metrics to', owned);
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
    const owned = 'trialId' in owner ? this.#ref(owner.trialId) : undefined;
    await this.#conn.write('appending logs', async ({ db, client }) => {
      await checkOwnerInTx(db, client, owner, 'append logs to', owned);
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

  #cache(studyId: number): StudyTrialCache {
    let cache = this.#caches.get(studyId);
    if (!cache) this.#caches.set(studyId, (cache = new StudyTrialCache()));
    return cache;
  }

  #token(): string {
    return `${this.#tokenPrefix}:${++this.#tokenCount}`;
  }

  /** The trial a write names: its id and, when this process created it, its create token. */
  #ref(trialId: number): TrialRef {
    return { trialId, owner: this.#owners.get(trialId) ?? null, label: this.#label(trialId) };
  }

  /** How errors found before a write is sent name the trial: by number when this process has seen it. */
  #label(trialId: number): string {
    const n = this.#numbers.get(trialId);
    return n === undefined ? `trial with id ${trialId}` : `trial ${n}`;
  }

  /** The study of a trial this process saw (for the distributions memo), or undefined. */
  #studyOf(trialId: number): number | undefined {
    return this.#trialStudies.get(trialId);
  }

  #remember(t: FrozenTrial): void {
    this.#numbers.set(t.trialId, t.number);
    this.#trialStudies.set(t.trialId, t.studyId);
    if (t.state !== 'COMPLETE' && t.state !== 'PRUNED' && t.state !== 'FAIL') return;
    this.#finished.set(t.trialId, t);
    this.#caches.get(t.studyId)?.remember(t);
  }
}

function checkRetries(retries: number): void {
  if (!Number.isInteger(retries) || retries < 0) {
    throw new StorageError(`reapExpiredLeases: retries must be a non-negative integer, got ${retries}; pass --retries 0 or more`);
  }
}
