/** The PostgreSQL benchmarks' admin connection: one client for `fn` (CREATE/DROP DATABASE, server facts), then closed. */
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgresql://root@localhost/postgres?host=/var/run/postgresql';

export async function withAdminClient<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
