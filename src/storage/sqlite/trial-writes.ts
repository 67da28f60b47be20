import type Database from 'better-sqlite3';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, TrialState } from '../../core/frozen.js';
import {
  checkActiveQuota, checkParam, checkTemplate, checkWritable, paramAlreadySet, studyNotFound, trialNotFound, type CheckedFinish,
} from '../checks.js';
import type { TrialTemplate } from '../storage.js';
import { encodeAttr } from '../values.js';
import type { Db } from './connection.js';
import { ParamInsert } from './param-insert.js';
import { studies, trialAttrs, trialIntermediateValues, trialParams, trials } from './schema.js';

const p = sql.placeholder;
/** A placeholder where drizzle's `update().set()` wants an SQL expression. */
const sp = (name: string) => sql`${sql.placeholder(name)}`;

/** A trial's identity and state, as the write rules need it. */
export interface TrialHead {
  readonly trialId: number;
  readonly studyId: number;
  readonly number: number;
  readonly state: TrialState;
}

/**
 * The trial writes, as prepared drizzle statements. Every `…InTx` method must run inside the caller's
 * `Connection.write` transaction: the checks and the write then see the same snapshot, which is what makes
 * trial numbers dense and finished trials immutable across processes.
 */
export class TrialWrites {
  readonly #study;
  readonly #head;
  readonly #nextNumber;
  readonly #nActive;
  readonly #insertTrial;
  readonly #hasParam;
  readonly #insertParam: ParamInsert;
  readonly #upsertAttr;
  readonly #heartbeat;
  readonly #lastValue;
  readonly #finish;
  readonly #firstWaiting;
  readonly #claim;

  /** `sqlite` is the connection under `db`, for the plain statements of the hottest writes. */
  constructor(db: Db, sqlite: Database.Database) {
    this.#study = db.select({ name: studies.name }).from(studies).where(eq(studies.studyId, p('studyId'))).prepare();
    this.#head = db
      .select({ trialId: trials.trialId, studyId: trials.studyId, number: trials.number, state: trials.state })
      .from(trials)
      .where(eq(trials.trialId, p('trialId')))
      .prepare();
    this.#nextNumber = db
      .select({ next: sql<number>`COALESCE(MAX(${trials.number}) + 1, 0)` })
      .from(trials)
      .where(eq(trials.studyId, p('studyId')))
      .prepare();
    this.#nActive = db
      .select({ n: sql<number>`COUNT(*)` })
      .from(trials)
      .where(and(eq(trials.studyId, p('studyId')), sql`${trials.state} IN ('COMPLETE', 'RUNNING')`))
      .prepare();
    this.#insertTrial = db
      .insert(trials)
      .values({
        studyId: p('studyId'), number: p('number'), state: p('state'), datetimeStart: p('datetimeStart'), worker: p('worker'),
        seed: p('seed'), codeVersion: p('codeVersion'), budgetJson: p('budgetJson'), retryOf: p('retryOf'),
      })
      .returning({ trialId: trials.trialId })
      .prepare();
    this.#hasParam = db
      .select({ name: trialParams.name })
      .from(trialParams)
      .where(and(eq(trialParams.trialId, p('trialId')), eq(trialParams.name, p('name'))))
      .prepare();
    this.#insertParam = new ParamInsert(sqlite);
    this.#upsertAttr = db
      .insert(trialAttrs)
      .values({ trialId: p('trialId'), kind: p('kind'), key: p('key'), valueJson: p('valueJson') })
      .onConflictDoUpdate({ target: [trialAttrs.trialId, trialAttrs.kind, trialAttrs.key], set: { valueJson: sql`excluded.value_json` } })
      .prepare();
    this.#heartbeat = db.update(trials).set({ heartbeat: sp('now') }).where(eq(trials.trialId, p('trialId'))).prepare();
    this.#lastValue = db
      .select({ value: trialIntermediateValues.value, valueType: trialIntermediateValues.valueType })
      .from(trialIntermediateValues)
      .where(eq(trialIntermediateValues.trialId, p('trialId')))
      .orderBy(desc(trialIntermediateValues.step))
      .limit(1)
      .prepare();
    this.#finish = db
      .update(trials)
      .set({
        state: sp('state'), value: sp('value'), valueType: sp('valueType'), datetimeComplete: sp('now'),
        datetimeStart: sql`COALESCE(${trials.datetimeStart}, ${sp('now')})`,
        errorMessage: sp('errorMessage'), errorStack: sp('errorStack'), errorCode: sp('errorCode'),
      })
      .where(eq(trials.trialId, sp('trialId')))
      .prepare();
    this.#firstWaiting = db
      .select({ trialId: trials.trialId })
      .from(trials)
      .where(and(eq(trials.studyId, p('studyId')), eq(trials.state, 'WAITING')))
      .orderBy(asc(trials.number))
      .limit(1)
      .prepare();
    this.#claim = db
      .update(trials)
      .set({ state: 'RUNNING', worker: sp('worker'), datetimeStart: sp('now') })
      .where(and(eq(trials.trialId, p('trialId')), eq(trials.state, 'WAITING')))
      .prepare();
  }

  /** The study's name; throws STUDY_NOT_FOUND. */
  studyNameInTx(studyId: number): string {
    const s = this.#study.get({ studyId });
    if (!s) throw studyNotFound(studyId);
    return s.name;
  }

  /** Throws TRIAL_NOT_FOUND. */
  headInTx(trialId: number): TrialHead {
    const t = this.#head.get({ trialId });
    if (!t) throw trialNotFound(trialId);
    return t;
  }

  /** The trial, checked to be still writable (TRIAL_FINISHED otherwise). */
  writableInTx(trialId: number, action: string): TrialHead {
    const t = this.headInTx(trialId);
    checkWritable(t, action);
    return t;
  }

  /** Inserts a trial with the next number of its study (MAX+1 under the write lock: dense and unique). */
  createInTx(studyId: number, template: TrialTemplate, now: number): { trialId: number; number: number } {
    const studyName = this.studyNameInTx(studyId);
    checkTemplate(template);
    if (template.maxActive !== undefined) checkActiveQuota(studyName, template, this.#nActive.get({ studyId })?.n ?? 0);
    const number = this.#nextNumber.get({ studyId })?.next ?? 0;
    const label = `new trial ${number} of study "${studyName}"`;
    const params = Object.entries(template.params ?? {}).map(([name, v]) => {
      checkParam(label, name, v.distribution, v.internal);
      return { name, ...v };
    });
    const attrs = [
      ...Object.entries(template.userAttrs ?? {}).map(([key, v]) => ({ kind: 'user' as const, key, valueJson: encodeAttr(key, v, label) })),
      ...Object.entries(template.systemAttrs ?? {}).map(([key, v]) => ({ kind: 'system' as const, key, valueJson: encodeAttr(key, v, label) })),
    ];
    const state = template.state ?? 'RUNNING';
    const row = this.#insertTrial.get({
      studyId, number, state, datetimeStart: state === 'RUNNING' ? now : null, worker: template.worker ?? null,
      seed: template.seed ?? null, codeVersion: template.codeVersion ?? null,
      budgetJson: template.budget ? JSON.stringify(template.budget) : null, retryOf: template.retryOf ?? null,
    });
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    for (const prm of params) this.#insertParam.runInTx(studyId, row.trialId, prm.name, prm.distribution, prm.internal);
    for (const a of attrs) this.#upsertAttr.run({ trialId: row.trialId, ...a });
    return { trialId: row.trialId, number };
  }

  setParamInTx(trialId: number, name: string, distribution: Distribution, internal: number): void {
    const t = this.writableInTx(trialId, `set parameter "${name}" on`);
    const label = `trial ${t.number}`;
    checkParam(label, name, distribution, internal);
    if (this.#hasParam.get({ trialId, name })) throw paramAlreadySet(label, name);
    this.#insertParam.runInTx(t.studyId, trialId, name, distribution, internal);
  }

  setAttrInTx(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): void {
    const t = this.writableInTx(trialId, `set attribute "${key}" on`);
    this.#upsertAttr.run({ trialId, kind, key, valueJson: encodeAttr(key, value, `trial ${t.number} ${kind}`) });
  }

  heartbeatInTx(trialId: number, now: number): void {
    this.writableInTx(trialId, 'record a heartbeat for');
    this.#heartbeat.run({ trialId, now });
  }

  /** Writes the final state; a PRUNED trial without a value takes its last intermediate value. */
  finishInTx(trialId: number, finish: CheckedFinish, now: number): void {
    let value = finish.value;
    if (value === undefined) {
      const last = this.#lastValue.get({ trialId });
      value = last ? { value: last.value, valueType: last.valueType } : null;
    }
    this.#finish.run({
      trialId, now, state: finish.state, value: value?.value ?? null, valueType: value?.valueType ?? null,
      errorMessage: finish.error?.message ?? null, errorStack: finish.error?.stack ?? null, errorCode: finish.error?.code ?? null,
    });
  }

  /** Moves the lowest-numbered WAITING trial to RUNNING; returns its id, or undefined when none waits. */
  /** With `maxActive`, bounded as createInTx bounds a new trial (inside the same write transaction). */
  claimInTx(studyId: number, worker: string, now: number, maxActive?: number): number | undefined {
    const studyName = this.studyNameInTx(studyId);
    if (maxActive !== undefined) checkActiveQuota(studyName, { maxActive }, this.#nActive.get({ studyId })?.n ?? 0);
    const w = this.#firstWaiting.get({ studyId });
    if (!w) return undefined;
    this.#claim.run({ trialId: w.trialId, worker, now });
    return w.trialId;
  }
}
