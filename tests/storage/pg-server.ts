import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';

/**
 * A fresh PostgreSQL database for one test file, dropped when the file ends, so test files running in parallel
 * never see each other's tables. The server is the one CI starts (.ci/run): `PARZEN_TEST_PG_URL` names an admin
 * URL on it (a database to connect to for CREATE DATABASE), else the local socket and then 127.0.0.1:5432 are
 * tried as `root` and `postgres`. No server is a failure, not a skip: these tests exist to run against one.
 */
export interface PgTestDatabase {
  /** `postgresql://user@host:port/<fresh database>` */
  readonly url: string;
  readonly name: string;
  /** The URL of another database on the same server, for tests that need one that exists. */
  readonly adminUrl: string;
  /** `url` with `?schema=<fresh schema>`: a fresh, empty store in the same database. */
  freshStoreUrl(): string;
}

const CANDIDATES = [
  'postgresql://root@localhost/postgres?host=/var/run/postgresql',
  'postgresql://postgres@localhost/postgres?host=/var/run/postgresql',
  'postgresql://root@127.0.0.1:5432/postgres',
  'postgresql://postgres@127.0.0.1:5432/postgres',
];

async function findAdminUrl(): Promise<string> {
  const given = process.env.PARZEN_TEST_PG_URL;
  const tried: string[] = [];
  for (const url of given ? [given] : CANDIDATES) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    try {
      await c.connect();
      await c.end();
      return url;
    } catch (e) {
      tried.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no PostgreSQL server for the tests (start one, or set PARZEN_TEST_PG_URL):\n  ${tried.join('\n  ')}`);
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates `parzen_t_<random>` and registers its DROP (FORCE, so connections a test left open don't block it). */
export async function pgTestDatabase(): Promise<PgTestDatabase> {
  const adminUrl = await findAdminUrl();
  const name = `parzen_t_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  after(() => admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  let n = 0;
  return {
    url,
    name,
    adminUrl,
    freshStoreUrl: () => {
      const s = new URL(url);
      s.searchParams.set('schema', `store_${n++}`);
      return s.toString();
    },
  };
}
