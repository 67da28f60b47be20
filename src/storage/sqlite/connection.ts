import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { ParzenError, StorageError } from '../../errors.js';
import type { StorageOptions } from '../storage.js';
import { migrate } from './migrations.js';
import { openReadOnlyDatabase } from './read-only.js';
import { schema, type Schema } from './schema.js';
import { prepareStoreForWriting, readOnly } from './store-file.js';

export type Db = BetterSQLite3Database<Schema>;

/**
 * Options for a SQLite store: mostly tuning for how a connection waits on other processes holding the write
 * lock, plus the store-wide `clock` (see StorageOptions).
 */
export interface SqliteOptions extends StorageOptions {
  /**
   * How long one attempt waits inside SQLite for the write lock (PRAGMA busy_timeout). Default 5000 ms.
   * Short transactions make long waits rare; the async retries below cover the rest.
   */
  readonly busyTimeoutMs?: number;
  /** How many more times a write is retried, with jittered exponential backoff, after SQLITE_BUSY. Default 8. */
  readonly maxRetries?: number;
  /**
   * Open an existing store for reading only (better-sqlite3 `readonly`, no migrations, no pragma writes), as the
   * query commands do: it works on a store the user may only read, and never creates one (a missing file is
   * StorageError STORE_NOT_FOUND). Every write then throws STORE_READ_ONLY.
   */
  readonly readOnly?: boolean;
  /** When writing: create the store when the file is missing (default true); false makes that STORE_NOT_FOUND. */
  readonly create?: boolean;
  /** When creating: create missing parent folders of the file (mkdir -p). Default false: a missing folder is a ConfigError. */
  readonly createParentDirs?: boolean;
  /** The URL the file was named by (openStorage passes it), so that errors can say how it was resolved. */
  readonly url?: string;
}

const BUSY = /^SQLITE_(BUSY|LOCKED)/;

function sqliteCode(e: unknown): string | undefined {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

/** Whether `e` is (or wraps) SQLite telling us another connection holds the lock. */
export function isBusy(e: unknown): boolean {
  return BUSY.test(sqliteCode(e) ?? '');
}

/**
 * Converts a driver error into a StorageError carrying the SQL and parameters; ParzenErrors pass through.
 * `reading` says the connection only reads, so a permission problem is about reading, not writing.
 */
export function toStorageError(action: string, file: string, e: unknown, opts: { reading?: boolean } = {}): ParzenError {
  if (e instanceof ParzenError) return e;
  const query = e instanceof DrizzleQueryError ? e : undefined;
  const root = query?.cause ?? e;
  const message = root instanceof Error ? root.message : String(root);
  const code = sqliteCode(e);
  const permissions = code?.startsWith('SQLITE_READONLY') === true || code?.startsWith('SQLITE_CANTOPEN') === true;
  // Permissions can change between the checks at open and a later write (or be refused by the -shm file alone).
  if (opts.reading !== true && code?.startsWith('SQLITE_READONLY') === true) return readOnly(file, `${action}: ${message}`, e);
  const hint = isBusy(e)
    ? ' (other processes kept the database locked through every retry; raise busyTimeoutMs or run fewer writers)'
    : permissions
      ? opts.reading === true
        ? ` (check that this user may read ${file} and, beside it, its -wal and -shm files)`
        : ` (check that ${file} and its folder are writable)`
      : '';
  return new StorageError(`${action} failed on ${file}: ${message}${hint}`, { cause: e, sql: query?.query, params: query?.params });
}

/**
 * One better-sqlite3 connection with drizzle on top, set up for several processes sharing one file:
 * WAL (readers never block the writer), `synchronous=NORMAL` (a commit is in the WAL file when it returns,
 * so it survives the process being killed; only an OS crash or power cut can lose the newest commits),
 * foreign keys on, and writes as `BEGIN IMMEDIATE` transactions that take the write lock up front. A deferred
 * transaction that reads first and writes later can fail with SQLITE_BUSY without waiting (its snapshot is
 * stale); taking the lock first means the busy handler always applies.
 */
export class Connection {
  readonly file: string;
  readonly sqlite: Database.Database;
  readonly db: Db;
  readonly #maxRetries: number;
  readonly #readOnly: boolean;
  // Prepared once: building a better-sqlite3 `transaction()` wrapper per call costs more than the commit.
  readonly #beginWrite: Database.Statement;
  readonly #beginRead: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;

  private constructor(file: string, sqlite: Database.Database, opts: { maxRetries: number; readOnly: boolean }) {
    this.file = file;
    this.sqlite = sqlite;
    this.db = drizzle({ client: sqlite, schema });
    this.#maxRetries = opts.maxRetries;
    this.#readOnly = opts.readOnly;
    this.#beginWrite = sqlite.prepare('BEGIN IMMEDIATE');
    this.#beginRead = sqlite.prepare('BEGIN DEFERRED');
    this.#commit = sqlite.prepare('COMMIT');
    this.#rollback = sqlite.prepare('ROLLBACK');
  }

  /**
   * Opens for writing (creating the file as needed; its folder must exist unless `createParentDirs`) and migrates,
   * retrying while another process holds the lock; or, with `readOnly`, opens an existing store for reading.
   */
  /**
   * A query found an older schema. Upgrading in place is not creating a store, so when this user may write the
   * store it is migrated once by a writing connection and then read; otherwise the query fails saying so.
   */
  static async #upgradeThenRead(file: string, options: SqliteOptions, outdated: StorageError): Promise<Connection> {
    let writer: Connection;
    try {
      writer = await Connection.open(file, { ...options, readOnly: false, create: false });
    } catch (e) {
      if (e instanceof StorageError && e.code === 'STORE_READ_ONLY') throw outdated;
      throw e;
    }
    writer.close();
    // Read as asked, now at the newest schema; a second STORE_OUTDATED here would be a migration bug, not a loop.
    const reader = openReadOnlyDatabase({ file, url: options.url }, options.busyTimeoutMs ?? 5000);
    return new Connection(file, reader, { maxRetries: options.maxRetries ?? 8, readOnly: true });
  }

  static async open(file: string, options: SqliteOptions = {}): Promise<Connection> {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const maxRetries = options.maxRetries ?? 8;
    const store = { file, url: options.url };
    if (options.readOnly === true) {
      try {
        return new Connection(file, openReadOnlyDatabase(store, busyTimeoutMs), { maxRetries, readOnly: true });
      } catch (e) {
        if (e instanceof StorageError && e.code === 'STORE_OUTDATED') return Connection.#upgradeThenRead(file, options, e);
        throw toStorageError('reading the study store', file, e, { reading: true });
      }
    }
    prepareStoreForWriting(store, { create: options.create ?? true, createParentDirs: options.createParentDirs ?? false });
    return retryBusy(maxRetries, () => {
      let sqlite: Database.Database | undefined;
      try {
        sqlite = new Database(file, { timeout: busyTimeoutMs });
        sqlite.pragma('journal_mode = WAL');
        sqlite.pragma('synchronous = NORMAL');
        sqlite.pragma('foreign_keys = ON');
        migrate(sqlite, file);
        return new Connection(file, sqlite, { maxRetries, readOnly: false });
      } catch (e) {
        sqlite?.close();
        throw e;
      }
    }).catch((e: unknown) => {
      throw toStorageError('opening the study store', file, e);
    });
  }

  /**
   * Runs `fn` in a `BEGIN IMMEDIATE` transaction; when the promise resolves the commit is durable.
   * SQLITE_BUSY after the busy timeout is retried with backoff, so concurrent writers wait instead of failing.
   */
  async write<T>(action: string, fn: () => T): Promise<T> {
    if (this.#readOnly) {
      throw new StorageError(`${action} failed on ${this.file}: the store was opened read-only (the readOnly option, as query commands open it); open it without readOnly to write`, {
        code: 'STORE_READ_ONLY',
      });
    }
    try {
      return await retryBusy(this.#maxRetries, () => this.#inTransaction(this.#beginWrite, fn));
    } catch (e) {
      throw toStorageError(action, this.file, e);
    }
  }

  /** Runs `fn` in one read transaction, so everything it reads comes from the same snapshot. */
  read<T>(action: string, fn: () => T): T {
    try {
      return this.#inTransaction(this.#beginRead, fn);
    } catch (e) {
      throw toStorageError(action, this.file, e, { reading: this.#readOnly });
    }
  }

  #inTransaction<T>(begin: Database.Statement, fn: () => T): T {
    begin.run();
    try {
      const result = fn();
      this.#commit.run();
      return result;
    } catch (e) {
      if (this.sqlite.inTransaction) this.#rollback.run();
      throw e;
    }
  }

  close(): void {
    this.sqlite.close();
  }
}

async function retryBusy<T>(maxRetries: number, attempt: () => T): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return attempt();
    } catch (e) {
      if (!isBusy(e) || i >= maxRetries) throw e;
      // Jitter keeps processes that collided from retrying in lockstep (exponential backoff, capped at 1 s).
      await sleep(Math.min(1000, 10 * 2 ** i) * (0.5 + Math.random()));
    }
  }
}
