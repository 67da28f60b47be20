import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { InMemoryStorage } from './memory.js';
import type { PostgresOptions } from './postgres/connection.js';
import type { SqliteOptions } from './sqlite/connection.js';
import type { Storage } from './storage.js';

/**
 * Options for {@link openStorage}; `clock` applies to every store, the rest to SQLite stores only (`readOnly`,
 * `create`, `createParentDirs`, the busy-lock tuning).
 */
export interface OpenStorageOptions extends Omit<SqliteOptions, 'url'>, Omit<PostgresOptions, 'clock'> {
  /** Folder a relative `sqlite:` path is resolved against. Default: `process.cwd()`. */
  readonly cwd?: string;
}

/** parzen's own folder (in the working folder): the one missing parent folder a store may be created in. */
const STUDIES_DIR = 'studies';

const SCHEMES = '`sqlite:<path>` (e.g. sqlite:studies/tuning.db), `postgresql://user@host/database` or `memory:`';

/**
 * Opens a study store from its URL.
 *
 * - `sqlite:<path>`: a SQLite file, relative to the working folder. The SQLAlchemy spellings
 *   `sqlite:///relative.db` and `sqlite:////absolute.db` (as Optuna takes) work too. A missing file is created
 *   (and migrated) unless `readOnly` is set or `create` is false: then it is StorageError STORE_NOT_FOUND. Its folder must
 *   exist (ConfigError naming it and the `mkdir -p`), except `studies/` in the working folder, which is created,
 *   and any folder with `createParentDirs: true`. A store this user may only read opens with `readOnly` and is
 *   StorageError STORE_READ_ONLY otherwise.
 * - `memory:`: an in-process store that ends with the process.
 *
 * - `postgresql://user[:password]@host[:port]/database[?schema=s&pool_size=n&lease_ms=n]` (or `postgres://`): a PostgreSQL
 *   database shared by processes on many hosts; its tables are created (and migrated) at open. `poolSize` sizes
 *   this process's connection pool. The database must exist; with `readOnly` (queries) so must the store's tables.
 *
 * @example
 * const storage = await openStorage('sqlite:studies/tuning.db');
 * const study = (await storage.findStudy('optimizer')) ?? (await storage.createStudy({ name: 'optimizer', direction: 'minimize' }));
 */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new ConfigError(`storage URL is empty; use ${SCHEMES}`);
  }
  if (url === 'memory:' || url === 'memory://') return new InMemoryStorage({ clock: options.clock });
  if (url.startsWith('sqlite:')) {
    const cwd = options.cwd ?? process.cwd();
    const file = sqlitePath(url, cwd);
    const createParentDirs = options.createParentDirs ?? dirname(file) === resolve(cwd, STUDIES_DIR);
    // SQLite (and its native binding) loads only when a SQLite store is asked for.
    const { SqliteStorage } = await import('./sqlite/sqlite-storage.js');
    return SqliteStorage.open(file, { ...options, createParentDirs, url });
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgresql' || scheme === 'postgres') {
    // pg loads only when a PostgreSQL store is asked for.
    const { PostgresStorage } = await import('./postgres/postgres-storage.js');
    const { clock, poolSize, connectTimeoutMs, readOnly, leaseMs } = options;
    return PostgresStorage.open(url, { clock, poolSize, connectTimeoutMs, readOnly, leaseMs });
  }
  const what = scheme === undefined ? 'has no scheme' : `has the unknown scheme "${scheme}:"`;
  throw new ConfigError(`storage "${redact(url)}" ${what}; use ${SCHEMES}`);
}

/** The absolute file path of a `sqlite:` URL. */
export function sqlitePath(url: string, cwd: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest.startsWith('//') && !rest.startsWith('///')) {
    throw new ConfigError(`storage "${url}": SQLite has no host; use sqlite:<path>, e.g. sqlite:studies/tuning.db`);
  }
  // SQLAlchemy form: `sqlite:///rel.db` is relative, `sqlite:////abs.db` absolute; dropping `///` gives both.
  const path = rest.startsWith('///') ? rest.slice(3) : rest;
  if (path === '' || path === ':memory:') {
    throw new ConfigError(`storage "${url}" names no file; use sqlite:<path>, e.g. sqlite:studies/tuning.db (or memory: for an in-process store)`);
  }
  return resolve(cwd, path);
}

/** Hides a password in `scheme://user:password@host` before it reaches an error message. */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@/]*@/, '$1***@');
}
