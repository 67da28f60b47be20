import type pg from 'pg';
import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Budget, FrozenTrial, TrialState } from '../../core/frozen.js';
import { StorageError } from '../../errors.js';
import { freezeTrial, type TrialParts } from '../snapshot.js';
import { parseStoredDistribution } from '../stored-distribution.js';
import { decodeJson } from '../values.js';
import { prepared, runPrepared } from './prepared.js';

/** A trial as `parzen_trial_json` (migration 2) writes it: the row, then params, values and attributes as arrays. */
export interface TrialJson {
  readonly trialId: number;
  readonly studyId: number;
  readonly number: number;
  readonly state: TrialState;
  /** JSON has no ±Infinity: PostgreSQL writes those doubles as the strings "Infinity" and "-Infinity". */
  readonly value: number | string | null;
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
  readonly p: readonly (readonly [string, number, string, number])[];
  readonly v: readonly (readonly [number, number | string])[];
  readonly a: readonly (readonly [string, string, string])[];
}

/**
 * The read of `parzen_ask_lean` (migration 11): the study's name, the highest trial id the read saw, and either the
 * number of the trial just created (`created`: the only trial read, as the caller sent it) or the trials as JSON.
 */
export interface LeanRead {
  readonly name: string;
  readonly maxId: number | null;
  readonly created: { readonly trialId: number; readonly number: number } | undefined;
  readonly trials: readonly TrialJson[];
}

const toNumber = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

/** A row of {@link BULK_READ}: the study's name, then one trial's columns and its params and values as arrays. */
export type BulkRow = Omit<TrialJson, 'trialId' | 'p' | 'v' | 'a'> & {
  readonly name: string;
  readonly maxId: number | null;
  readonly trialId: number | null;
  readonly pn: string[] | null;
  readonly pi: number[] | null;
  readonly ph: string[] | null;
  readonly pd: string[] | null;
  readonly vs: string[] | null;
  readonly vx: number[] | null;
  readonly a: [string, string, string][] | null;
};

/** The columns of a trial the ask creates, as the ask sent them. */
export interface CreatedAsSent {
  readonly studyId: number;
  readonly now: number;
  readonly worker: string | null;
  readonly seed: number | null;
  readonly codeVersion: string | null;
  readonly budgetJson: string | null;
  readonly retryOf: number | null;
}

/** What an incremental read returns: the study's name, the highest trial id it saw (null: none above the cursor), the trials. */
export interface StudyRead {
  readonly name: string;
  readonly maxId: number | null;
  readonly trials: FrozenTrial[];
}

const BULK_READ = prepared(
  'study_trials',
  `
WITH t AS (
  SELECT * FROM trials x WHERE x.study_id = $1 AND x.trial_id > $2 AND x.trial_id <> ALL ($4::bigint[]) AND x.trial_id <> ALL ($3::bigint[])
  UNION ALL
  SELECT * FROM trials x WHERE x.trial_id = ANY ($3::bigint[]) AND (x.study_id = $1) IS TRUE)
SELECT s.name, (SELECT max(m.trial_id) FROM trials m WHERE m.study_id = $1 AND m.trial_id > $2) AS "maxId", t.trial_id AS "trialId", t.study_id AS "studyId", t.number, t.state, t.value, t.datetime_start AS "datetimeStart",
  t.datetime_complete AS "datetimeComplete", t.heartbeat, t.error_message AS "errorMessage", t.error_stack AS "errorStack",
  t.error_code AS "errorCode", t.worker, t.seed, t.code_version AS "codeVersion", t.budget_json AS "budgetJson", t.retry_of AS "retryOf",
  p.pn, p.pi, p.ph, p.pd, v.vs, v.vx, at.a
FROM studies s LEFT JOIN (t
  LEFT JOIN LATERAL (SELECT array_agg(tp.name) AS pn, array_agg(tp.internal) AS pi, array_agg(d.hash) AS ph, array_agg(tp.distribution_id) AS pd
      FROM trial_params tp JOIN distributions d ON d.distribution_id = tp.distribution_id WHERE tp.trial_id = t.trial_id) p ON true
  LEFT JOIN LATERAL (SELECT array_agg(iv.step) AS vs, array_agg(iv.value) AS vx FROM trial_intermediate_values iv WHERE iv.trial_id = t.trial_id) v ON true
  LEFT JOIN LATERAL (SELECT json_agg(json_build_array(ta.kind, ta.key, ta.value_json)) AS a FROM trial_attrs ta WHERE ta.trial_id = t.trial_id) at ON true)
  ON true
WHERE s.study_id = $1 ORDER BY t.number`,
);

const TRIAL_BY_ID = prepared('trial_by_id', 'SELECT parzen_trial_json($1) AS j');
const DISTRIBUTIONS = prepared('distributions', 'SELECT hash, json FROM distributions WHERE distribution_id = ANY($1::bigint[])');

/**
 * Reads whole trials in one statement each, so one snapshot and one round trip: many trials as rows with their
 * params and values as arrays, one trial (and what the trial functions return) as one JSON value (`parzen_trial_json`). Distributions are read once each per process (one more statement
 * when a trial uses one not seen before) and shared by every trial using them, keyed by content hash so the memo
 * cannot go stale.
 */
export class PgTrialLoader {
  readonly #parsed = new Map<string, Distribution>();

  /** Trials of a study with id above `afterTrialId`, plus those in `alsoIds`, ordered by number. */
  async studyTrials(c: pg.PoolClient, studyId: number, afterTrialId: number, alsoIds: readonly number[]): Promise<FrozenTrial[]> {
    return (await this.studyAndTrials(c, studyId, { afterTrialId, alsoIds, heldIds: [] }))?.trials ?? [];
  }

  /**
   * The study's name (undefined when there is no such study) and its trials with id above `afterTrialId` or in
   * `alsoIds`, except the finished ones in `heldIds` (the caller holds them), in one statement: the incremental read
   * of `getAllTrials`. `maxId` is the highest trial id above `afterTrialId` in the read's snapshot (null: none).
   * Each trial's params, values and attributes come as arrays beside its row (a JSON value built per trial cost the
   * server ~20× more at 20,000 trials), aggregated per trial by LATERAL index lookups: the plan the server caches for
   * the named statement (chosen once, with whatever statistics the tables had then) never scans a whole table, so a
   * read costs what it returns. The trials above the cursor come from the (study_id, trial_id) index (migration 7).
   */
  async studyAndTrials(
    c: pg.PoolClient,
    studyId: number,
    read: { readonly afterTrialId: number; readonly alsoIds: readonly number[]; readonly heldIds: readonly number[] },
  ): Promise<StudyRead | undefined> {
    const { rows } = await runPrepared<BulkRow>(c, BULK_READ, [studyId, read.afterTrialId, read.alsoIds, read.heldIds]);
    return this.fromRows(c, rows);
  }

  /**
   * The rows of an incremental read (BULK_READ's, or `parzen_ask_trial`'s, which has the same columns) as frozen
   * trials; undefined when there are none (no such study).
   */
  async fromRows(c: pg.PoolClient, rows: readonly BulkRow[]): Promise<StudyRead | undefined> {
    if (rows.length === 0) return undefined;
    const missing = new Map<string, number>();
    for (const r of rows) {
      const hashes = r.ph;
      if (hashes === null || r.pd === null) continue;
      for (let k = 0; k < hashes.length; k++) if (!this.#parsed.has(hashes[k])) missing.set(hashes[k], Number(r.pd[k]));
    }
    await this.#parseMissing(c, missing);
    const trials: FrozenTrial[] = [];
    for (const r of rows) if (r.trialId !== null) trials.push(this.#rowToFrozen(r, r.trialId)); // a null id: the study's row alone
    return { name: rows[0].name, maxId: rows[0].maxId, trials };
  }

  /**
   * The read of `parzen_ask_lean` (migration 11) as frozen trials: those it returned as JSON, then, for the usual
   * ask, the trial just created, built from what the ask sent (`sent`) and the id and number the server gave it.
   */
  async fromLean(c: pg.PoolClient, lean: LeanRead, sent: CreatedAsSent): Promise<StudyRead> {
    const trials = lean.trials.length === 0 ? [] : await this.freeze(c, lean.trials);
    const created = lean.created;
    if (created !== undefined) {
      trials.push(
        freezeTrial({
          trialId: created.trialId,
          studyId: sent.studyId,
          number: created.number,
          state: 'RUNNING',
          value: null,
          params: [],
          intermediate: [],
          userAttrs: {},
          systemAttrs: {},
          datetimeStart: sent.now,
          datetimeComplete: null,
          heartbeat: null,
          error: null,
          worker: sent.worker,
          seed: sent.seed,
          codeVersion: sent.codeVersion,
          budget: sent.budgetJson === null ? null : (JSON.parse(sent.budgetJson) as Budget),
          retryOf: sent.retryOf,
        }),
      );
    }
    return { name: lean.name, maxId: lean.maxId, trials };
  }

  async findById(c: pg.PoolClient, trialId: number): Promise<FrozenTrial | undefined> {
    const { rows } = await runPrepared<{ j: TrialJson | null }>(c, TRIAL_BY_ID, [trialId]);
    const j = rows[0]?.j;
    return j ? (await this.freeze(c, [j]))[0] : undefined;
  }

  async findByNumber(c: pg.PoolClient, studyId: number, number: number): Promise<FrozenTrial | undefined> {
    const { rows } = await c.query<{ j: TrialJson }>('SELECT parzen_trial_json(trial_id) AS j FROM trials WHERE study_id = $1 AND number = $2', [studyId, number]);
    return rows.length === 0 ? undefined : (await this.freeze(c, [rows[0].j]))[0];
  }

  /** Freezes trials read as JSON, first reading the distributions they use that were not parsed before. */
  async freeze(c: pg.PoolClient, trials: readonly TrialJson[]): Promise<FrozenTrial[]> {
    await this.#parseNew(c, trials);
    return trials.map((t) => this.#toFrozen(t));
  }

  /** Reads and parses, in one query, the distributions these trials use that were not parsed before. */
  async #parseNew(c: pg.PoolClient, trials: readonly TrialJson[]): Promise<void> {
    const missing = new Map<string, number>();
    for (const t of trials) for (const [, , hash, id] of t.p) if (!this.#parsed.has(hash)) missing.set(hash, id);
    await this.#parseMissing(c, missing);
  }

  /** Reads and parses the distributions `missing` names (hash → id), in one query. */
  async #parseMissing(c: pg.PoolClient, missing: ReadonlyMap<string, number>): Promise<void> {
    if (missing.size === 0) return;
    const { rows: found } = await runPrepared<{ hash: string; json: string }>(c, DISTRIBUTIONS, [[...missing.values()]]);
    for (const d of found) this.#parsed.set(d.hash, parseStoredDistribution(d.json));
    for (const [hash, id] of missing) {
      if (!this.#parsed.has(hash)) throw new StorageError(`distribution ${id} (hash ${hash}) vanished while its trials were read`);
    }
  }

  /**
   * One row of an incremental read as a frozen trial, straight from its columns (no intermediate JSON-shaped copy:
   * the ask turns one row into a trial on every call). Params in name order, as `parzen_trial_json` gives them.
   */
  #rowToFrozen(r: BulkRow, trialId: number): FrozenTrial {
    const names = r.pn ?? [];
    const params: (readonly [string, { readonly distribution: Distribution; readonly internal: number }])[] = [];
    for (let k = 0; k < names.length; k++) {
      params.push([names[k], { distribution: this.#parsed.get((r.ph ?? [])[k]) as Distribution, internal: (r.pi ?? [])[k] }]);
    }
    if (params.length > 1) params.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const steps = r.vs ?? [];
    const intermediate: (readonly [number, number])[] = [];
    for (let k = 0; k < steps.length; k++) intermediate.push([Number(steps[k]), toNumber((r.vx ?? [])[k])]);
    const { userAttrs, systemAttrs } = splitAttrs(r.a ?? []);
    return freezeTrial({ ...trialColumns(r), trialId, params, intermediate, userAttrs, systemAttrs });
  }

  #toFrozen(r: TrialJson): FrozenTrial {
    const { userAttrs, systemAttrs } = splitAttrs(r.a);
    return freezeTrial({
      ...trialColumns(r),
      trialId: r.trialId,
      params: r.p.map(([name, internal, hash]) => [name, { distribution: this.#parsed.get(hash) as Distribution, internal }] as const),
      intermediate: r.v.map(([step, value]) => [step, toNumber(value)] as const),
      userAttrs,
      systemAttrs,
    });
  }
}

/** A trial's own columns, as a read row and `parzen_trial_json` both carry them. */
function trialColumns(r: Omit<TrialJson, 'trialId' | 'p' | 'v' | 'a'>): Omit<TrialParts, 'trialId' | 'params' | 'intermediate' | 'userAttrs' | 'systemAttrs'> {
  return {
    studyId: r.studyId,
    number: r.number,
    state: r.state,
    value: r.value === null ? null : toNumber(r.value),
    datetimeStart: r.datetimeStart,
    datetimeComplete: r.datetimeComplete,
    heartbeat: r.heartbeat,
    error: r.errorMessage === null ? null : { message: r.errorMessage, stack: r.errorStack, code: r.errorCode },
    worker: r.worker,
    seed: r.seed,
    codeVersion: r.codeVersion,
    budget: r.budgetJson === null ? null : (JSON.parse(r.budgetJson) as Budget),
    retryOf: r.retryOf,
  };
}

/** Attribute rows (kind, key, JSON) as the user and system records, in one pass. */
function splitAttrs(rows: readonly (readonly [string, string, string])[]): { userAttrs: Record<string, AttrValue>; systemAttrs: Record<string, AttrValue> } {
  const user: [string, AttrValue][] = [];
  const system: [string, AttrValue][] = [];
  // Entries, not assignments: a key such as "__proto__" stays an own property.
  for (const [kind, key, json] of rows) (kind === 'user' ? user : system).push([key, decodeJson<AttrValue>(json)]);
  return { userAttrs: Object.fromEntries(user), systemAttrs: Object.fromEntries(system) };
}
