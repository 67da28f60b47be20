import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Budget, FrozenTrial } from '../../core/frozen.js';
import { StorageError } from '../../errors.js';
import { freezeTrial } from '../snapshot.js';
import { parseStoredDistribution } from '../stored-distribution.js';
import { decodeJson, decodeValue } from '../values.js';
import type { Db } from './connection.js';
import { distributions, trialAttrs, trialIntermediateValues, trialParams, trials } from './schema.js';

type TrialRow = typeof trials.$inferSelect;
interface ParamRow {
  readonly trialId: number;
  readonly name: string;
  readonly internal: number;
  readonly distributionId: number;
  readonly hash: string;
}
type ValueRow = typeof trialIntermediateValues.$inferSelect;
type AttrRow = typeof trialAttrs.$inferSelect;

/** `column IN (ids given as one JSON array parameter)`: one bound value however many ids, no SQL-variable limit. */
export const inJsonIds = (column: SQLiteColumn, name: string): SQL =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`;

/**
 * Reads whole trials (row, params, intermediate values, attrs) with prepared drizzle queries: one query per
 * table for any number of trials, never one query per trial. A parameter row carries its distribution's hash;
 * only distributions this loader has not parsed before are read (once each, in one query) and every trial
 * using one shares the same frozen object. Keyed by content hash, the memo cannot go stale: not when a study is
 * deleted, nor when a write that inserted a distribution rolls back and its id is given to another.
 */
export class TrialLoader {
  readonly #byStudy;
  readonly #byId;
  readonly #byNumber;
  readonly #params;
  readonly #distributions;
  readonly #parsed = new Map<string, Distribution>();
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
    this.#params = db
      .select({
        trialId: trialParams.trialId, name: trialParams.name, internal: trialParams.internal,
        distributionId: trialParams.distributionId, hash: distributions.hash,
      })
      .from(trialParams)
      .innerJoin(distributions, eq(distributions.distributionId, trialParams.distributionId))
      .where(ids(trialParams.trialId))
      .orderBy(asc(trialParams.trialId), asc(trialParams.name))
      .prepare();
    this.#distributions = db.select({ hash: distributions.hash, json: distributions.json }).from(distributions).where(ids(distributions.distributionId)).prepare();
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
    const paramRows = this.#params.all({ ids });
    this.#parseNew(paramRows);
    const params = groupBy(paramRows);
    const values = groupBy(this.#values.all({ ids }));
    const attrs = groupBy(this.#attrs.all({ ids }));
    const distributionOf = (p: ParamRow) => this.#parsed.get(p.hash) as Distribution;
    return rows.map((r) =>
      toFrozen(r, { params: params.get(r.trialId) ?? [], distributionOf, values: values.get(r.trialId) ?? [], attrs: attrs.get(r.trialId) ?? [] }),
    );
  }

  /** Reads and parses, in one query, the distributions these rows use that were not parsed before. */
  #parseNew(rows: readonly ParamRow[]): void {
    const missing = new Map<string, number>();
    for (const p of rows) if (!this.#parsed.has(p.hash)) missing.set(p.hash, p.distributionId);
    if (missing.size === 0) return;
    for (const d of this.#distributions.all({ ids: JSON.stringify([...missing.values()]) })) {
      this.#parsed.set(d.hash, parseStoredDistribution(d.json));
    }
    for (const [hash, id] of missing) {
      if (!this.#parsed.has(hash)) throw new StorageError(`distribution ${id} (hash ${hash}) vanished while its trials were read`);
    }
  }
}

interface TrialChildren {
  readonly params: readonly ParamRow[];
  readonly distributionOf: (p: ParamRow) => Distribution;
  readonly values: readonly ValueRow[];
  readonly attrs: readonly AttrRow[];
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

function toFrozen(r: TrialRow, { params, distributionOf, values, attrs }: TrialChildren): FrozenTrial {
  const pick = (kind: 'user' | 'system') =>
    Object.fromEntries(attrs.filter((a) => a.kind === kind).map((a) => [a.key, decodeJson<AttrValue>(a.valueJson)]));
  return freezeTrial({
    trialId: r.trialId,
    studyId: r.studyId,
    number: r.number,
    state: r.state,
    value: decodeValue(r.value, r.valueType),
    params: params.map((p) => [p.name, { distribution: distributionOf(p), internal: p.internal }] as const),
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
