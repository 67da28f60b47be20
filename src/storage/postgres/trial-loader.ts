import type pg from 'pg';
import type { Distribution } from '../../space/distributions.js';
import type { AttrValue, Budget, FrozenTrial, TrialState } from '../../core/frozen.js';
import { StorageError } from '../../errors.js';
import { freezeTrial } from '../snapshot.js';
import { parseStoredDistribution } from '../stored-distribution.js';
import { decodeJson } from '../values.js';

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

const toNumber = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

/**
 * Reads whole trials, each as one JSON value built by the server (`parzen_trial_json`): any number of trials in one
 * statement, so one snapshot and one round trip. Distributions are read once each per process (one more statement
 * when a trial uses one not seen before) and shared by every trial using them, keyed by content hash so the memo
 * cannot go stale.
 */
export class PgTrialLoader {
  readonly #parsed = new Map<string, Distribution>();

  /** Trials of a study with id above `afterTrialId`, plus those in `alsoIds`, ordered by number. */
  async studyTrials(c: pg.PoolClient, studyId: number, afterTrialId: number, alsoIds: readonly number[]): Promise<FrozenTrial[]> {
    const { rows } = await c.query<{ j: TrialJson[] }>(
      `SELECT COALESCE(json_agg(parzen_trial_json(t.trial_id) ORDER BY t.number), '[]') AS j FROM trials t
       WHERE t.study_id = $1 AND (t.trial_id > $2 OR t.trial_id = ANY($3::bigint[]))`,
      [studyId, afterTrialId, alsoIds],
    );
    return this.freeze(c, rows[0].j);
  }

  /**
   * The study's name (undefined when there is no such study) and its trials with id above `afterTrialId` or in
   * `alsoIds`, in one statement: the incremental read of `getAllTrials`.
   */
  async studyAndTrials(
    c: pg.PoolClient,
    studyId: number,
    afterTrialId: number,
    alsoIds: readonly number[],
  ): Promise<{ readonly name: string; readonly trials: FrozenTrial[] } | undefined> {
    const { rows } = await c.query<{ name: string; j: TrialJson[] }>(
      `SELECT s.name, (SELECT COALESCE(json_agg(parzen_trial_json(t.trial_id) ORDER BY t.number), '[]') FROM trials t
         WHERE t.study_id = s.study_id AND (t.trial_id > $2 OR t.trial_id = ANY($3::bigint[]))) AS j
       FROM studies s WHERE s.study_id = $1`,
      [studyId, afterTrialId, alsoIds],
    );
    if (rows.length === 0) return undefined;
    return { name: rows[0].name, trials: await this.freeze(c, rows[0].j) };
  }

  async findById(c: pg.PoolClient, trialId: number): Promise<FrozenTrial | undefined> {
    const { rows } = await c.query<{ j: TrialJson | null }>('SELECT parzen_trial_json($1) AS j', [trialId]);
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

  #toFrozen(r: TrialJson): FrozenTrial {
    const pick = (kind: 'user' | 'system') =>
      Object.fromEntries(r.a.filter((a) => a[0] === kind).map(([, key, json]) => [key, decodeJson<AttrValue>(json)]));
    return freezeTrial({
      trialId: r.trialId,
      studyId: r.studyId,
      number: r.number,
      state: r.state,
      value: r.value === null ? null : toNumber(r.value),
      params: r.p.map(([name, internal, hash]) => [name, { distribution: this.#parsed.get(hash) as Distribution, internal }] as const),
      intermediate: r.v.map(([step, value]) => [step, toNumber(value)] as const),
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
