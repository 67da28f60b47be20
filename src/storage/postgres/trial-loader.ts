import type pg from 'pg';
import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Budget, FrozenTrial, TrialState } from '../../core/frozen.js';
import { StorageError } from '../../errors.js';
import { freezeTrial } from '../snapshot.js';
import { parseStoredDistribution } from '../stored-distribution.js';
import { decodeJson } from '../values.js';

interface TrialRow {
  readonly trialId: number;
  readonly studyId: number;
  readonly number: number;
  readonly state: TrialState;
  readonly value: number | null;
  readonly datetimeStart: number | null;
  readonly datetimeComplete: number | null;
  readonly heartbeat: number | null;
  readonly errorMessage: string | null;
  readonly errorStack: string | null;
  readonly errorCode: string | null;
  readonly worker: string | null;
  readonly seed: number | null;
  readonly codeVersion: string | null;
  readonly budgetJson: string | null;
  readonly retryOf: number | null;
}
interface ParamRow { readonly trialId: number; readonly name: string; readonly internal: number; readonly distributionId: number; readonly hash: string }
interface ValueRow { readonly trialId: number; readonly step: number; readonly value: number }
interface AttrRow { readonly trialId: number; readonly kind: 'user' | 'system'; readonly key: string; readonly valueJson: string }

const TRIAL_COLUMNS = `trial_id AS "trialId", study_id AS "studyId", number, state, value, datetime_start AS "datetimeStart",
  datetime_complete AS "datetimeComplete", heartbeat, error_message AS "errorMessage", error_stack AS "errorStack",
  error_code AS "errorCode", worker, seed, code_version AS "codeVersion", budget_json AS "budgetJson", retry_of AS "retryOf"`;

/**
 * Reads whole trials (row, params, intermediate values, attrs): one query per table for any number of trials,
 * the ids bound as one array. Distributions are read once each per process and shared by every trial using
 * them, keyed by content hash so the memo cannot go stale (as the SQLite loader does). Run inside one read
 * transaction so the four queries see one snapshot.
 */
export class PgTrialLoader {
  readonly #parsed = new Map<string, Distribution>();

  /** Trials of a study with id above `afterTrialId`, plus those in `alsoIds`, ordered by number. */
  async studyTrials(c: pg.PoolClient, studyId: number, afterTrialId: number, alsoIds: readonly number[]): Promise<FrozenTrial[]> {
    const { rows } = await c.query<TrialRow>(
      `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 AND (trial_id > $2 OR trial_id = ANY($3::bigint[])) ORDER BY number`,
      [studyId, afterTrialId, alsoIds],
    );
    return this.#assemble(c, rows);
  }

  /**
   * One trial in one round trip: its row with its params, intermediate values and attributes aggregated as JSON
   * arrays beside it (a write that returns the trial it wrote pays one statement for the snapshot, not four).
   */
  async findById(c: pg.PoolClient, trialId: number): Promise<FrozenTrial | undefined> {
    const { rows } = await c.query<TrialRow & { p: [string, number, string, number][]; v: [number, number | string][]; a: [string, string, string][] }>(
      `SELECT ${TRIAL_COLUMNS},
         (SELECT COALESCE(json_agg(json_build_array(p.name, p.internal, d.hash, p.distribution_id) ORDER BY p.name), '[]')
            FROM trial_params p JOIN distributions d ON d.distribution_id = p.distribution_id WHERE p.trial_id = t.trial_id) AS p,
         (SELECT COALESCE(json_agg(json_build_array(v.step, v.value)), '[]') FROM trial_intermediate_values v WHERE v.trial_id = t.trial_id) AS v,
         (SELECT COALESCE(json_agg(json_build_array(a.kind, a.key, a.value_json)), '[]') FROM trial_attrs a WHERE a.trial_id = t.trial_id) AS a
       FROM trials t WHERE t.trial_id = $1`,
      [trialId],
    );
    if (rows.length === 0) return undefined;
    const r = rows[0];
    const params = r.p.map(([name, internal, hash, distributionId]) => ({ trialId, name, internal, hash, distributionId }));
    await this.#parseNew(c, params);
    // JSON has no ±Infinity: PostgreSQL writes those doubles as the strings "Infinity" and "-Infinity".
    const values = r.v.map(([step, value]) => ({ trialId, step, value: typeof value === 'string' ? Number(value) : value }));
    const attrs = r.a.map(([kind, key, valueJson]) => ({ trialId, kind: kind as 'user' | 'system', key, valueJson }));
    return this.#toFrozen(r, params, values, attrs);
  }

  async findByNumber(c: pg.PoolClient, studyId: number, number: number): Promise<FrozenTrial | undefined> {
    const { rows } = await c.query<TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = $1 AND number = $2`, [studyId, number]);
    return (await this.#assemble(c, rows))[0];
  }

  async #assemble(c: pg.PoolClient, rows: readonly TrialRow[]): Promise<FrozenTrial[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.trialId);
    const paramRows = (
      await c.query<ParamRow>(
        `SELECT p.trial_id AS "trialId", p.name, p.internal, p.distribution_id AS "distributionId", d.hash
         FROM trial_params p JOIN distributions d ON d.distribution_id = p.distribution_id
         WHERE p.trial_id = ANY($1::bigint[]) ORDER BY p.trial_id, p.name`,
        [ids],
      )
    ).rows;
    await this.#parseNew(c, paramRows);
    const values = (await c.query<ValueRow>('SELECT trial_id AS "trialId", step, value FROM trial_intermediate_values WHERE trial_id = ANY($1::bigint[])', [ids])).rows;
    const attrs = (
      await c.query<AttrRow>('SELECT trial_id AS "trialId", kind, key, value_json AS "valueJson" FROM trial_attrs WHERE trial_id = ANY($1::bigint[])', [ids])
    ).rows;
    const byTrial = { params: groupBy(paramRows), values: groupBy(values), attrs: groupBy(attrs) };
    return rows.map((r) => this.#toFrozen(r, byTrial.params.get(r.trialId) ?? [], byTrial.values.get(r.trialId) ?? [], byTrial.attrs.get(r.trialId) ?? []));
  }

  /** Reads and parses, in one query, the distributions these rows use that were not parsed before. */
  async #parseNew(c: pg.PoolClient, rows: readonly ParamRow[]): Promise<void> {
    const missing = new Map<string, number>();
    for (const p of rows) if (!this.#parsed.has(p.hash)) missing.set(p.hash, p.distributionId);
    if (missing.size === 0) return;
    const { rows: found } = await c.query<{ hash: string; json: string }>(
      'SELECT hash, json FROM distributions WHERE distribution_id = ANY($1::bigint[])',
      [[...missing.values()]],
    );
    for (const d of found) this.#parsed.set(d.hash, parseStoredDistribution(d.json));
    for (const [hash, id] of missing) {
      if (!this.#parsed.has(hash)) throw new StorageError(`distribution ${id} (hash ${hash}) vanished while its trials were read`);
    }
  }

  #toFrozen(r: TrialRow, params: readonly ParamRow[], values: readonly ValueRow[], attrs: readonly AttrRow[]): FrozenTrial {
    const pick = (kind: 'user' | 'system') =>
      Object.fromEntries(attrs.filter((a) => a.kind === kind).map((a) => [a.key, decodeJson<AttrValue>(a.valueJson)]));
    return freezeTrial({
      trialId: r.trialId,
      studyId: r.studyId,
      number: r.number,
      state: r.state,
      value: r.value,
      params: params.map((p) => [p.name, { distribution: this.#parsed.get(p.hash) as Distribution, internal: p.internal }] as const),
      intermediate: values.map((v) => [v.step, v.value] as const),
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
}

function groupBy<R extends { trialId: number }>(rows: readonly R[]): Map<number, R[]> {
  const m = new Map<number, R[]>();
  for (const r of rows) {
    const list = m.get(r.trialId);
    if (list) list.push(r);
    else m.set(r.trialId, [r]);
  }
  return m;
}
