import type { TrialState } from '../../core/frozen.js';
import { checkWritable, trialNotFound } from '../checks.js';
import type { EncodedValue } from '../values.js';
import type { PgConnection } from './connection.js';
import { toDouble } from './trial-writes.js';

interface Pending {
  readonly trialId: number;
  readonly step: number;
  readonly encoded: EncodedValue;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for intermediate values, as the SQLite store does it: values reported in the same tick share one
 * transaction of two statements (lock the trials `FOR SHARE`, so no host finishes one mid-batch; then one
 * multi-row upsert), and each promise resolves only after that commit. Batches commit one after another, so
 * values land in the order they were reported; a later value for the same step wins, as a second upsert would.
 */
export class PgValueWriter {
  readonly #conn: PgConnection;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(conn: PgConnection) {
    this.#conn = conn;
  }

  /** Queues one value; resolves once it is committed, rejects with TRIAL_FINISHED / TRIAL_NOT_FOUND. */
  write(trialId: number, step: number, encoded: EncodedValue): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ trialId, step, encoded, resolve, reject });
      if (this.#pending.length === 1 && this.#flushing === undefined) queueMicrotask(() => void this.#drainLoop());
    });
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
    const refused = new Map<Pending, unknown>();
    try {
      await this.#conn.write('writing intermediate values', async ({ client }) => {
        refused.clear(); // a retried attempt starts over
        const ids = [...new Set(batch.map((p) => p.trialId))];
        const { rows } = await client.query<{ trialId: number; number: number; state: TrialState }>(
          'SELECT trial_id AS "trialId", number, state FROM trials WHERE trial_id = ANY($1::bigint[]) FOR SHARE',
          [ids],
        );
        const heads = new Map(rows.map((r) => [r.trialId, r]));
        const rowsByKey = new Map<string, Pending>();
        for (const p of batch) {
          try {
            const t = heads.get(p.trialId);
            if (!t) throw trialNotFound(p.trialId);
            checkWritable(t, 'report an intermediate value to');
            rowsByKey.set(`${p.trialId}:${p.step}`, p);
          } catch (e) {
            refused.set(p, e);
          }
        }
        const ok = [...rowsByKey.values()];
        if (ok.length === 0) return;
        await client.query(
          `INSERT INTO trial_intermediate_values (trial_id, step, value)
           SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[])
           ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value`,
          [ok.map((p) => p.trialId), ok.map((p) => p.step), ok.map((p) => toDouble(p.encoded))],
        );
      }, { idempotent: true });
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    for (const p of batch) {
      if (refused.has(p)) p.reject(refused.get(p));
      else p.resolve();
    }
  }
}
