import type { Statement } from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type { TrialState } from '../../core/frozen.js';
import { checkWritable, trialNotFound } from '../checks.js';
import type { EncodedValue } from '../values.js';
import { toStorageError, type Connection } from './connection.js';
import { trialIntermediateValues, trials } from './schema.js';

interface TrialHead {
  readonly trialId: number;
  readonly number: number;
  readonly state: TrialState;
}

interface Pending {
  readonly trialId: number;
  readonly step: number;
  readonly encoded: EncodedValue;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for intermediate values. Each `write` joins the batch of values queued in the same tick;
 * the batch is written in one `BEGIN IMMEDIATE` transaction and every promise resolves only after that
 * commit, so an acknowledged value is never lost, while many reports arriving together (from several worker
 * threads, say) share one commit instead of paying one each. A caller awaiting every value gets a
 * transaction per value and no added latency: the batch is flushed on the microtask queue, not a timer.
 * Batches commit one after another, so values reach the file in the order they were reported.
 */
export class IntermediateValueWriter {
  readonly #conn: Connection;
  readonly #state: Statement<[number], TrialHead>;
  readonly #upsert: Statement<[number, number, number, string]>;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(conn: Connection) {
    this.#conn = conn;
    // The hottest path in the store: plain prepared statements, skipping drizzle's placeholder mapping.
    // Column names come from the drizzle schema so a renamed column cannot silently diverge.
    const t = getTableConfig(trials).name;
    const v = getTableConfig(trialIntermediateValues).name;
    this.#state = conn.sqlite.prepare<[number], TrialHead>(
      `SELECT ${trials.trialId.name} AS trialId, ${trials.number.name} AS number, ${trials.state.name} AS state FROM ${t} WHERE ${trials.trialId.name} = ?`,
    );
    const c = trialIntermediateValues;
    this.#upsert = conn.sqlite.prepare<[number, number, number, string]>(
      `INSERT INTO ${v} (${c.trialId.name}, ${c.step.name}, ${c.value.name}, ${c.valueType.name}) VALUES (?, ?, ?, ?)
       ON CONFLICT (${c.trialId.name}, ${c.step.name}) DO UPDATE SET ${c.value.name} = excluded.${c.value.name}, ${c.valueType.name} = excluded.${c.valueType.name}`,
    );
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
      await this.#conn.write('writing intermediate values', () => {
        refused.clear(); // a retried attempt starts over
        for (const p of batch) {
          try {
            const t = this.#state.get(p.trialId);
            if (!t) throw trialNotFound(p.trialId);
            checkWritable(t, 'report an intermediate value to');
            this.#upsert.run(p.trialId, p.step, p.encoded.value, p.encoded.valueType);
          } catch (e) {
            refused.set(p, toStorageError('writing an intermediate value', this.#conn.file, e));
          }
        }
      });
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
