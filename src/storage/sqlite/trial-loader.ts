import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Budget, FrozenTrial } from '../../core/frozen.js';
import { freezeTrial } from '../snapshot.js';
import { decodeJson, decodeValue } from '../values.js';
import type { Db } from './connection.js';
import { trialAttrs, trialIntermediateValues, trialParams, trials } from './schema.js';

type TrialRow = typeof trials.$inferSelect;
type ParamRow = typeof trialParams.$inferSelect;
type ValueRow = typeof trialIntermediateValues.$inferSelect;
type AttrRow = typeof trialAttrs.$inferSelect;

/** `column IN (ids given as one JSON array parameter)`: one bound value however many ids, no SQL-variable limit. */
export const inJsonIds = (column: SQLiteColumn, name: string): SQL =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`;

/**
 * Reads whole trials (row, params, intermediate values, attrs) with prepared drizzle queries: one query per
 * table for any number of trials, never one query per trial.
 */
export class TrialLoader {
  readonly #byStudy;
  readonly #byId;
  readonly #byNumber;
  readonly #params;
  readonly #values;
  readonly #attrs;

  constructor(db: Db) {
    const ids = (c: SQLiteColumn) => inJsonIds(c, 'ids');
    this.#byStudy = db
      .select()
      .from(trials)
      .where(and(eq(trials.studyId, sql.placeholder('studyId')), or(gt(trials.trialId, sql.placeholder('after')), inJsonIds(trials.trialId, 'ids'))))
      .orderBy(asc(trials.number))
      .prepare();
    this.#byId = db.select().from(trials).where(eq(trials.trialId, sql.placeholder('trialId'))).prepare();
    this.#byNumber = db
      .select()
      .from(trials)
      .where(and(eq(trials.studyId, sql.placeholder('studyId')), eq(trials.number, sql.placeholder('number'))))
      .prepare();
    this.#params = db.select().from(trialParams).where(ids(trialParams.trialId)).prepare();
    this.#values = db.select().from(trialIntermediateValues).where(ids(trialIntermediateValues.trialId)).prepare();
    this.#attrs = db.select().from(trialAttrs).where(ids(trialAttrs.trialId)).prepare();
  }

  /**
   * Trials of a study with id above `afterTrialId`, plus those listed in `alsoIds`, ordered by number.
   * With `afterTrialId = 0` and no ids that is every trial. Run it inside a read transaction.
   */
  studyTrials(studyId: number, afterTrialId: number, alsoIds: readonly number[]): FrozenTrial[] {
    return this.#assemble(this.#byStudy.all({ studyId, after: afterTrialId, ids: JSON.stringify(alsoIds) }));
  }

  findById(trialId: number): FrozenTrial | undefined {
    return this.#assemble(this.#byId.all({ trialId }))[0];
  }

  findByNumber(studyId: number, number: number): FrozenTrial | undefined {
    return this.#assemble(this.#byNumber.all({ studyId, number }))[0];
  }

  #assemble(rows: TrialRow[]): FrozenTrial[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((r) => r.trialId));
    const params = groupBy(this.#params.all({ ids }));
    const values = groupBy(this.#values.all({ ids }));
    const attrs = groupBy(this.#attrs.all({ ids }));
    return rows.map((r) => toFrozen(r, params.get(r.trialId) ?? [], values.get(r.trialId) ?? [], attrs.get(r.trialId) ?? []));
  }
}

function groupBy<R extends { trialId: number }>(rows: R[]): Map<number, R[]> {
  const m = new Map<number, R[]>();
  for (const r of rows) {
    const list = m.get(r.trialId);
    if (list) list.push(r);
    else m.set(r.trialId, [r]);
  }
  return m;
}

function toFrozen(r: TrialRow, params: ParamRow[], values: ValueRow[], attrs: AttrRow[]): FrozenTrial {
  const pick = (kind: 'user' | 'system') =>
    Object.fromEntries(attrs.filter((a) => a.kind === kind).map((a) => [a.key, decodeJson<AttrValue>(a.valueJson)]));
  return freezeTrial({
    trialId: r.trialId,
    studyId: r.studyId,
    number: r.number,
    state: r.state,
    value: decodeValue(r.value, r.valueType),
    params: params.map((p) => [p.name, { distribution: JSON.parse(p.distributionJson) as Distribution, internal: p.internal }] as const),
    intermediate: values.map((v) => [v.step, decodeValue(v.value, v.valueType) as number] as const),
    userAttrs: pick('user'),
    systemAttrs: pick('system'),
    datetimeStart: r.datetimeStart,
    datetimeComplete: r.datetimeComplete,
    heartbeat: r.heartbeat,
    error: r.errorMessage === null ? null : { message: r.errorMessage, stack: r.errorStack, code: r.errorCode },
    worker: r.worker,
    seed: r.seed,
    codeVersion: r.codeVersion,
    budget: r.budgetJson === null ? null : (JSON.parse(r.budgetJson) as Budget),
    retryOf: r.retryOf,
  });
}
