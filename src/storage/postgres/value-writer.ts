import type { TrialState } from '../../core/frozen.js';
import { checkWritable, trialLost, trialNotFound } from '../checks.js';
import type { EncodedValue } from '../values.js';
import type { PgConnection } from './connection.js';
import { prepared, runPrepared } from './prepared.js';
import { toDouble } from './trial-writes.js';

interface Pending {
  readonly trialId: number;
  readonly step: number;
  readonly encoded: EncodedValue;
  /** The create token of a trial this process created (trial-ownership.ts), or null: not checked. */
  readonly owner: string | null;
  readonly label: string;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * One batch, committed on its own: the trials locked FOR SHARE (so no host finishes one mid-batch; a trial finished
 * meanwhile is seen as finished; one this process created but no longer holding its create token is lost), then
 * the values of the writable ones upserted. Idempotent.
 */
const WRITE_VALUES = prepared(
  'write_values',
  `WITH h AS (SELECT trial_id, number, state, owner_token FROM trials WHERE trial_id = ANY($1::bigint[]) FOR SHARE),
   ins AS (
     INSERT INTO trial_intermediate_values (trial_id, step, value)
     SELECT x.t, x.s, x.v FROM unnest($2::bigint[], $3::bigint[], $4::float8[], $5::text[]) AS x(t, s, v, o)
     JOIN h ON h.trial_id = x.t AND h.state IN ('RUNNING', 'WAITING') AND (x.o IS NULL OR x.o = h.owner_token)
     ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value)
   SELECT trial_id AS "trialId", number, state, owner_token AS owner FROM h`,
);

/**
 * Group commit for intermediate values, as the SQLite store does it: values reported in the same tick share one
 * statement (lock the trials `FOR SHARE`, so no host finishes one mid-batch, and one multi-row upsert, in one round
 * trip), and each promise resolves only after that commit. Batches commit one after another, so
 * values land in the order they were reported; a later value for the same step wins, as a second upsert would.
 */
export class PgValueWriter {
  readonly #conn: PgConnection;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(conn: PgConnection) {
    this.#conn = conn;
  }

  /** Queues one value; resolves once it is committed, rejects with TRIAL_FINISHED / TRIAL_NOT_FOUND / TRIAL_LOST. */
  write(trial: { trialId: number; owner: string | null; label: string }, step: number, encoded: EncodedValue): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ ...trial, step, encoded, resolve, reject });
      if (this.#pending.length === 1 && this.#flushing === undefined) queueMicrotask(() => void this.#drainLoop());
    });
  }

  /** No value is queued or being written: `flush` would have nothing to wait for. */
  get idle(): boolean {
    return this.#flushing === undefined && this.#pending.length === 0;
  }

  /** Waits until every value queued so far is committed (or refused). */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined || this.#pending.length > 0) {
      if (this.#flushing === undefined) void this.#drainLoop();
      await this.#flushing;
    }
  }

  async #drainLoop(): Promise<void> {
    if (this.#flushing !== undefined) return;
    let done!: () => void;
    this.#flushing = new Promise<void>((r) => (done = r));
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        await this.#commit(batch);
      }
    } finally {
      this.#flushing = undefined;
      done();
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    // A later value for the same step wins, as a second upsert would (one statement cannot upsert a row twice).
    const last = new Map<string, Pending>();
    for (const p of batch) last.set(`${p.trialId}:${p.step}`, p);
    const rows = [...last.values()];
    let heads: Map<number, { trialId: number; number: number; state: TrialState; owner: string | null }>;
    try {
      const found = await this.#conn.statement('writing intermediate values', async (c) =>
        (
          await runPrepared<{ trialId: number; number: number; state: TrialState; owner: string | null }>(
            c,
            WRITE_VALUES,
            [
              [...new Set(rows.map((p) => p.trialId))], rows.map((p) => p.trialId), rows.map((p) => p.step), rows.map((p) => toDouble(p.encoded)),
              rows.map((p) => p.owner),
            ],
          )
        ).rows,
      );
      heads = new Map(found.map((r) => [r.trialId, r]));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    for (const p of batch) {
      try {
        const t = heads.get(p.trialId);
        if (p.owner !== null && t?.owner !== p.owner) throw trialLost(p.trialId, p.label);
        if (!t) throw trialNotFound(p.trialId);
        checkWritable(t, 'report an intermediate value to');
        p.resolve();
      } catch (e) {
        p.reject(e);
      }
    }
  }
}
