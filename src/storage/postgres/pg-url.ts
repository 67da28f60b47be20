import { userInfo } from 'node:os';
import { ConfigError } from '../../errors.js';

/** What a `postgresql://` URL says, split into what `pg` takes and what parzen reads itself. */
export interface PgTarget {
  /** The connection string for `pg`, without parzen's own query parameters. */
  readonly connectionString: string;
  /** The URL as errors and `Storage.url` show it: the password replaced by `***`. */
  readonly display: string;
  /** `?schema=NAME`: the store's tables live in this schema (created when missing); default the search_path's first. */
  readonly schema: string | undefined;
  /** `?pool_size=N`: connections this process may open; the caller's option wins. */
  readonly poolSize: number | undefined;
  /** `?lease_ms=N`: how long a RUNNING trial's lease lasts (PostgresOptions.leaseMs); the caller's option wins. */
  readonly leaseMs: number | undefined;
  /** User named in the URL, else this OS user (as psql does). */
  readonly user: string;
  readonly database: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Reads a `postgresql://user[:password]@host[:port]/database[?schema=s&pool_size=n&…]` (or `postgres://`) URL.
 * Other query parameters (`host=/var/run/postgresql` for a unix socket, `sslmode`, …) go to `pg` unchanged.
 *
 * @example
 * parsePgUrl('postgresql://ci:secret@db:5432/tuning?schema=team_a').display; // 'postgresql://ci:***@db:5432/tuning?schema=team_a'
 */
export function parsePgUrl(url: string): PgTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw new ConfigError(`storage "${redactPgUrl(url)}" is not a valid URL; use postgresql://user@host:5432/database`, { cause: e, code: 'USAGE' });
  }
  const display = redactPgUrl(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database === '') {
    throw new ConfigError(`storage "${display}" names no database; add it after the host, e.g. postgresql://user@host:5432/tuning`, { code: 'USAGE' });
  }
  const schema = u.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new ConfigError(`storage "${display}": schema "${schema}" must be a plain identifier (letters, digits, _; not starting with a digit)`, { code: 'USAGE' });
  }
  const poolSize = positiveInt(u, 'pool_size', display);
  const leaseMs = positiveInt(u, 'lease_ms', display);
  for (const own of ['schema', 'pool_size', 'lease_ms']) u.searchParams.delete(own);
  const user = decodeURIComponent(u.username) || userInfo().username;
  return { connectionString: u.toString(), display, schema, poolSize, leaseMs, user, database };
}

function positiveInt(u: URL, key: string, display: string): number | undefined {
  const text = u.searchParams.get(key) ?? undefined;
  const n = text === undefined ? undefined : Number(text);
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 1)) {
    throw new ConfigError(`storage "${display}": ${key} must be a positive integer, got "${text}"`, { code: 'USAGE' });
  }
  return n;
}

/** Hides the password in `scheme://user:password@host` before a URL reaches a message or a log. */
export function redactPgUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
