import { DrizzleQueryError } from 'drizzle-orm/errors';
import { ParzenError, StorageError } from '../../errors.js';
import type { PgTarget } from './pg-url.js';

/** Node's network error codes that mean no server answered at the address. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT', 'ECONNRESET']);

/**
 * Whether an error means the connection to the server was lost or could not be made (network, a restarting
 * server, a terminated backend), as opposed to the server refusing the statement: a transaction that failed so
 * may be run again on a new connection. Class 08 is connection exceptions; 57P01–57P03 a server shutting down,
 * crashing or starting; 57P05 an idle session timed out.
 */
export function isConnectionLost(e: unknown): boolean {
  if (e instanceof ParzenError) return false;
  const codes = codesOf(e);
  if (codes.some((c) => UNREACHABLE.has(c) || c === 'EPIPE' || c.startsWith('08') || /^57P0[1235]$/.test(c))) return true;
  return /Connection terminated|connection error|Client was closed|not queryable/i.test(rootMessage(e));
}

function codesOf(e: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown): void => {
    if (!(x instanceof Error) || seen.has(x)) return;
    seen.add(x);
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    if (x instanceof AggregateError) for (const inner of x.errors) visit(inner);
    visit(x.cause);
  };
  visit(e);
  return out;
}

function rootMessage(e: unknown): string {
  const root = e instanceof DrizzleQueryError ? e.cause : e;
  if (root instanceof AggregateError && root.errors[0] instanceof Error) return root.errors.map((x: Error) => x.message).join('; ');
  return root instanceof Error ? root.message : String(root);
}

/**
 * A driver or server error as a StorageError that names the store (its URL without the password) and the fix.
 * A server that does not answer, refused credentials and a missing database each get their own code, so the
 * CLI and a retrying worker can tell "fix the URL" from "try again later". ParzenErrors pass through.
 */
export function toPgStorageError(
  action: string,
  target: PgTarget,
  e: unknown,
  query: { sql?: string; params?: readonly unknown[] } = {},
): ParzenError {
  if (e instanceof ParzenError) return e;
  const codes = codesOf(e);
  const where = target.display;
  const message = rootMessage(e);
  const drizzle = e instanceof DrizzleQueryError ? e : undefined;
  const details = { cause: e, sql: query.sql ?? drizzle?.query, params: query.params ?? drizzle?.params };
  if (codes.some((c) => UNREACHABLE.has(c)) || /timeout expired|Connection terminated/i.test(message)) {
    return new StorageError(
      `${action} failed: no PostgreSQL server answered at ${where} (${message}); start the server, or check the host and port in --storage`,
      { ...details, code: 'STORE_UNREACHABLE' },
    );
  }
  if (codes.includes('3D000')) {
    return new StorageError(
      `${action} failed: database "${target.database}" does not exist on the server of ${where}; create it with \`createdb ${target.database}\` ` +
        `(or \`psql -c 'CREATE DATABASE "${target.database}"'\`), or fix the database name in --storage`,
      { ...details, code: 'STORE_NOT_FOUND' },
    );
  }
  if (codes.some((c) => c === '28P01' || c === '28000' || c === '42501')) {
    return new StorageError(
      `${action} failed: the server of ${where} refused user "${target.user}" (${message}); check the user and password in --storage ` +
        '(or PGPASSWORD / ~/.pgpass) and that this user may connect to and create tables in the database',
      { ...details, code: 'STORE_ACCESS_DENIED' },
    );
  }
  return new StorageError(`${action} failed on ${where}: ${message}`, details);
}
