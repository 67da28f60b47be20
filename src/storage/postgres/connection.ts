import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { ParzenError } from '../../errors.js';
import type { StorageOptions } from '../storage.js';
import { checkPgSchema, migratePg } from './migrations.js';
import { parsePgUrl, type PgTarget } from './pg-url.js';
import { schema, type Schema } from './schema.js';
import { toPgStorageError } from './pg-errors.js';

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
}

/** One pooled connection checked out for a transaction, with drizzle on it. */
export interface PgTx {
  readonly client: pg.PoolClient;
  readonly db: PgDb;
}

/** SQLSTATEs after which a whole transaction is safely run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

// int8 as a JS number: ids, numbers and millisecond times stay far below 2^53.
const TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text'),
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

  private constructor(target: PgTarget, pool: pg.Pool) {
    this.target = target;
    this.pool = pool;
    this.db = drizzle({ client: pool, schema });
  }

  /** Connects (checking the server, the credentials and the database with one connection) and migrates. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PgConnection> {
    const target = parsePgUrl(url);
    const pool = new pg.Pool({
      connectionString: target.connectionString,
      user: target.user,
      max: options.poolSize ?? target.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      options: target.schema === undefined ? undefined : `-c search_path=${target.schema}`,
      types: TYPES,
      application_name: 'parzen',
    });
    // An idle client that loses its server emits 'error' on the pool; the next checkout reconnects.
    pool.on('error', () => undefined);
    const conn = new PgConnection(target, pool);
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

  /** Runs `fn` in one transaction; the commit is durable (synchronous_commit) when the promise resolves. */
  write<T>(action: string, fn: (tx: PgTx) => Promise<T>): Promise<T> {
    return this.#transaction(action, 'BEGIN', fn);
  }

  /** Runs `fn` in one read-only transaction, so everything it reads comes from one snapshot. */
  read<T>(action: string, fn: (tx: PgTx) => Promise<T>): Promise<T> {
    return this.#transaction(action, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
  }

  /** One statement on its own (its own implicit transaction). */
  async query<R extends pg.QueryResultRow>(action: string, text: string, params: readonly unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, params as unknown[])).rows;
    } catch (e) {
      throw toPgStorageError(action, this.target, e, { sql: text, params });
    }
  }

  async #transaction<T>(action: string, begin: string, fn: (tx: PgTx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (e) {
        throw toPgStorageError(action, this.target, e);
      }
      let broken = false;
      try {
        await client.query(begin);
        const result = await fn(txOn(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // ROLLBACK fails only when the connection is gone: the pool must not hand this client out again.
          broken = true;
        }
        if (!(e instanceof ParzenError) && RETRYABLE.has(sqlState(e) ?? '') && attempt < 8) {
          await sleep(Math.min(500, 5 * 2 ** attempt) * (0.5 + Math.random()));
          continue;
        }
        throw toPgStorageError(action, this.target, e);
      } finally {
        client.release(broken);
      }
    }
  }

  close(): Promise<void> {
    return this.pool.end();
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
