import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { ParzenError } from '../../errors.js';
import type { StorageOptions } from '../storage.js';
import { checkPgSchema, migratePg } from './migrations.js';
import { parsePgUrl, type PgTarget } from './pg-url.js';
import { schema, type Schema } from './schema.js';
import { isConnectionLost, toPgStorageError } from './pg-errors.js';

export type PgDb = NodePgDatabase<Schema>;

/** Options for a PostgreSQL store, beside the store-wide `clock`. */
export interface PostgresOptions extends StorageOptions {
  /**
   * How many connections this process may hold (pg's pool `max`). Default: `pool_size` from the URL, else 4.
   * One `tune` needs few: writes are short, and values are batched into one statement.
   */
  readonly poolSize?: number;
  /** How long a connection attempt may take before the server counts as unreachable. Default 10000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * How long a RUNNING trial's lease lasts from its start or its last heartbeat, on the server's clock. Default
   * 60000 ms: several heartbeats (every 10 s by default) may be lost before a live trial's lease runs out.
   */
  readonly leaseMs?: number;
  /**
   * For queries: never create or migrate tables; a database without a parzen store is STORE_NOT_FOUND and one at
   * another schema version STORE_OUTDATED / STORE_TOO_NEW. Writes are still sent (the server's grants decide).
   */
  readonly readOnly?: boolean;
  /**
   * After the store opened, how long a transaction that lost its connection (a network drop, a restarting server,
   * a terminated backend) keeps reconnecting, with exponential backoff, before it fails STORE_UNREACHABLE.
   * Default 120000 ms: longer than the default lease, so a finished trial's result outlives a brief outage.
   */
  readonly reconnectMs?: number;
}

/** One pooled connection checked out for a transaction, with drizzle on it. */
export interface PgTx {
  readonly client: pg.PoolClient;
  readonly db: PgDb;
}

/** SQLSTATEs after which a whole transaction is safely run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Backoff before reconnect attempt `n` (0, 1, …): 50 ms doubling to 5 s, jittered ±50% so hosts do not stampede. */
const reconnectDelayMs = (n: number): number => Math.min(5000, 50 * 2 ** n) * (0.5 + Math.random());

// int8 as a JS number: ids, numbers and millisecond times stay far below 2^53. pg asks for every column's parser on
// every query (30 columns per ask), so the parser is one function, not a new closure per column.
const int8 = (v: string): number => Number(v);
const TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === pg.types.builtins.INT8 ? int8 : pg.types.getTypeParser(oid, format ?? 'text')),
} as pg.CustomTypesConfig;

/**
 * A pg pool on one database, the store's schema migrated at open. `write` runs a function in one
 * READ COMMITTED transaction (row locks do the ordering), `read` in one REPEATABLE READ READ ONLY transaction
 * (one snapshot, never blocking writers); both retry serialization failures and deadlocks whole.
 */
export class PgConnection {
  readonly target: PgTarget;
  readonly pool: pg.Pool;
  readonly db: PgDb;
  readonly #reconnectMs: number;

  private constructor(target: PgTarget, pool: pg.Pool, reconnectMs: number) {
    this.target = target;
    this.pool = pool;
    this.db = drizzle({ client: pool, schema });
    this.#reconnectMs = reconnectMs;
  }

  /** Connects (checking the server, the credentials and the database with one connection) and migrates. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PgConnection> {
    const target = parsePgUrl(url);
    const pool = new pg.Pool({
      connectionString: target.connectionString,
      user: target.user,
      max: options.poolSize ?? target.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      // JIT compiles a large read's expressions for longer than a store's short statements take to run. Generic
      // plans: the server otherwise plans a named statement (and each statement inside the trial functions) anew
      // for its parameter values on every run whenever the estimates favour that, and did so for the incremental
      // read (0.29 ms planning against 0.07 ms running it, EXPLAIN ANALYZE at 1,200 trials); every statement of the
      // store finds its rows by key or by the (study_id, trial_id) range, which a generic plan serves as well.
      // (`plan_cache_mode` exists from PostgreSQL 12 on.)
      options: `-c jit=off -c plan_cache_mode=force_generic_plan${target.schema === undefined ? '' : ` -c search_path=${target.schema}`}`,
      types: TYPES,
      application_name: 'parzen',
    });
    // An idle client that loses its server emits 'error' on the pool; the next checkout reconnects.
    pool.on('error', () => undefined);
    // A client that loses its server between two queries (checked out, or inside pg-pool's own query) emits 'error'
    // on itself, which would end the process; the query that needed it reports the loss instead.
    pool.on('connect', (client) => client.on('error', ignoreClientError));
    const conn = new PgConnection(target, pool, options.reconnectMs ?? 120_000);
    try {
      const client = await pool.connect();
      try {
        if (options.readOnly === true) {
          await checkPgSchema(client, target.display);
        } else {
          if (target.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`);
          await migratePg(client, target.display);
        }
      } finally {
        client.release();
      }
    } catch (e) {
      await pool.end();
      throw toPgStorageError('opening the study store', target, e);
    }
    return conn;
  }

  /**
   * Runs `fn` in one transaction; the commit is durable (synchronous_commit) when the promise resolves.
   * `idempotent`: running it twice leaves what running it once does (an upsert, a lease renewal, a reap), so a
   * COMMIT whose reply was lost is simply run again, and the transaction takes no xid of its own: one that changes
   * nothing (a reap with nothing expired) then commits without a WAL flush.
   */
  write<T>(action: string, fn: (tx: PgTx) => Promise<T>, opts: { readonly idempotent?: boolean } = {}): Promise<T> {
    return this.#transaction(action, opts.idempotent === true ? 'BEGIN ' : 'BEGIN', fn);
  }

  /** Runs `fn` in one read-only transaction, so everything it reads comes from one snapshot. */
  read<T>(action: string, fn: (tx: PgTx) => Promise<T>): Promise<T> {
    return this.#transaction(action, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
  }

  /**
   * One round trip on its own (the statement is its own transaction: durable when the promise resolves). Run again
   * after a serialization failure or deadlock (nothing was applied), and after a lost connection with `retry` true
   * until `reconnectMs` has passed: the statement's outcome is then unknown, so `fn` must make a second run safe
   * (the trial functions check their write token; reads and idempotent writes need nothing).
   */
  async statement<T>(action: string, fn: (client: pg.PoolClient, retry: boolean) => Promise<T>): Promise<T> {
    const giveUpAt = Date.now() + this.#reconnectMs;
    let nLost = 0;
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient | undefined;
      try {
        client = await this.pool.connect();
        const result = await fn(client, nLost > 0);
        client.release();
        return result;
      } catch (e) {
        const lost = isConnectionLost(e);
        client?.release(lost);
        if (e instanceof ParzenError) throw e;
        if (!lost && RETRYABLE.has(sqlState(e) ?? '') && attempt < 8) {
          await sleep(Math.min(500, 5 * 2 ** attempt) * (0.5 + Math.random()));
          continue;
        }
        if (lost && Date.now() < giveUpAt) {
          await sleep(reconnectDelayMs(nLost++));
          continue;
        }
        throw toPgStorageError(action, this.target, e);
      }
    }
  }

  /** One statement on its own (its own implicit transaction). */
  async query<R extends pg.QueryResultRow>(action: string, text: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, params as unknown[])).rows;
    } catch (e) {
      throw toPgStorageError(action, this.target, e, { sql: text, params });
    }
  }

  /**
   * One transaction, run again whole after a serialization failure or deadlock, and after a lost connection until
   * `reconnectMs` has passed. A write learns its transaction id in the round trip of its BEGIN, so when the
   * connection drops during COMMIT (the outcome unknown to us) it asks the server, on a new connection, whether
   * that transaction committed: a committed write is never applied twice (no second trial, no lost finish).
   */
  async #transaction<T>(action: string, begin: string, fn: (tx: PgTx) => Promise<T>): Promise<T> {
    const giveUpAt = Date.now() + this.#reconnectMs;
    // Only a write that is not idempotent learns its xid (see `write`); 'BEGIN ' marks an idempotent one.
    const write = begin === 'BEGIN';
    let nLost = 0;
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (e) {
        if (isConnectionLost(e) && Date.now() < giveUpAt) {
          await sleep(reconnectDelayMs(nLost++));
          continue;
        }
        throw toPgStorageError(action, this.target, e);
      }
      const release = (broken: boolean): void => client.release(broken);
      let xid: string | undefined;
      let result: T;
      try {
        xid = write ? await beginWrite(client, begin) : (await client.query(begin), undefined);
        result = await fn(txOn(client));
      } catch (e) {
        release(await rollback(client));
        if (!(e instanceof ParzenError) && RETRYABLE.has(sqlState(e) ?? '') && attempt < 8) {
          await sleep(Math.min(500, 5 * 2 ** attempt) * (0.5 + Math.random()));
          continue;
        }
        if (isConnectionLost(e) && Date.now() < giveUpAt) {
          await sleep(reconnectDelayMs(nLost++));
          continue;
        }
        throw toPgStorageError(action, this.target, e);
      }
      try {
        await client.query('COMMIT');
        release(false);
        return result;
      } catch (e) {
        const lost = isConnectionLost(e);
        release(lost);
        if (!lost && RETRYABLE.has(sqlState(e) ?? '') && attempt < 8) continue; // refused at commit: nothing was applied
        if (!lost) throw toPgStorageError(action, this.target, e);
        const outcome = xid === undefined ? 'aborted' : await this.#commitOutcome(action, xid, giveUpAt);
        if (outcome === 'committed') return result;
        if (Date.now() >= giveUpAt) throw toPgStorageError(action, this.target, e);
        await sleep(reconnectDelayMs(nLost++));
      }
    }
  }

  /** Whether transaction `xid` committed, asked on a new connection (waiting while the server reports it in progress). */
  async #commitOutcome(action: string, xid: string, giveUpAt: number): Promise<'committed' | 'aborted'> {
    for (let n = 0; ; n++) {
      try {
        const { rows } = await this.pool.query<{ status: string | null }>('SELECT txid_status($1::bigint) AS status', [xid]);
        const status = rows[0].status;
        if (status === 'committed') return 'committed';
        // null: so old it was truncated from the commit log, which cannot be the case seconds later; treat as not committed.
        if (status !== 'in progress') return 'aborted';
      } catch (e) {
        if (!isConnectionLost(e) || Date.now() >= giveUpAt) throw toPgStorageError(`${action} (asking whether its commit landed)`, this.target, e);
      }
      await sleep(reconnectDelayMs(n));
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function ignoreClientError(): void {
  // Deliberately nothing: the next query on the client rejects with the loss, and its transaction handles it there.
}

/** BEGIN and `txid_current()` in one round trip (the simple protocol takes both statements in one message). */
async function beginWrite(client: pg.PoolClient, begin: string): Promise<string> {
  const results = (await client.query(`${begin}; SELECT txid_current()::text AS xid`)) as unknown as pg.QueryResult<{ xid: string }>[];
  return results[1].rows[0].xid;
}

/** Rolls back; true when that failed, i.e. the connection is gone and the pool must not hand this client out again. */
async function rollback(client: pg.PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return false;
  } catch {
    return true;
  }
}

/** The transaction's handles; drizzle is set up on the client only when a query builder is used (the trial paths use plain SQL). */
function txOn(client: pg.PoolClient): PgTx {
  let db: PgDb | undefined;
  return {
    client,
    get db(): PgDb {
      return (db ??= drizzle({ client, schema }));
    },
  };
}

/** The SQLSTATE of a pg error, also when drizzle wrapped it. */
export function sqlState(e: unknown): string | undefined {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
