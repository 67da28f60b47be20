import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { test } from 'node:test';
import pg from 'pg';
import { ConfigError, StorageError, type ErrorCode } from '../../src/errors.js';
import { openStorage } from '../../src/storage/open.js';
import { PG_LATEST_VERSION, PG_MIGRATIONS } from '../../src/storage/postgres/migrations.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

/** `db.url` with another user, password, port or database. */
function variant(change: (u: URL) => void): string {
  const u = new URL(db.url);
  change(u);
  return u.toString();
}

async function refuses(url: string, code: ErrorCode, message: RegExp, opts: { readOnly?: boolean } = {}): Promise<StorageError> {
  let caught: unknown;
  try {
    await openStorage(url, { connectTimeoutMs: 5000, ...opts });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof StorageError, `expected a StorageError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  assert.doesNotMatch(caught.message, /hunter2/, 'the password never reaches the message');
  return caught;
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('a server nobody listens for is STORE_UNREACHABLE, naming the URL without its password and saying to start it', async () => {
  const port = await freePort();
  const e = await refuses(`postgresql://root:hunter2@127.0.0.1:${port}/tuning`, 'STORE_UNREACHABLE', /no PostgreSQL server answered/);
  assert.match(e.message, new RegExp(`postgresql://root:\\*\\*\\*@127\\.0\\.0\\.1:${port}/tuning`));
  assert.match(e.message, /start the server, or check the host and port/);
});

test('a database that does not exist is STORE_NOT_FOUND, with the createdb that makes it', async () => {
  const missing = `parzen_missing_${randomBytes(4).toString('hex')}`;
  const e = await refuses(variant((u) => {
    u.password = 'hunter2';
    u.pathname = `/${missing}`;
  }), 'STORE_NOT_FOUND', new RegExp(`database "${missing}" does not exist`));
  assert.match(e.message, new RegExp(`createdb ${missing}`));
});

test('a user the server does not know is STORE_ACCESS_DENIED, naming the user and where to fix the credentials', async () => {
  const user = `nobody_${randomBytes(4).toString('hex')}`;
  const e = await refuses(variant((u) => {
    u.username = user;
    u.password = 'hunter2';
  }), 'STORE_ACCESS_DENIED', new RegExp(`refused user "${user}"`));
  assert.match(e.message, /check the user and password in --storage/);
});

test('a store written by a newer parzen is STORE_TOO_NEW, telling to upgrade parzen, and is left unchanged', async () => {
  const url = db.freshStoreUrl();
  await (await openStorage(url)).close();
  const schema = new URL(url).searchParams.get('schema');
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(`INSERT INTO ${schema}.parzen_migrations (version, name) VALUES (99, 'from the future')`);
    await refuses(url, 'STORE_TOO_NEW', new RegExp(`schema version 99 but this parzen knows up to ${PG_LATEST_VERSION}; upgrade parzen`));
    await refuses(url, 'STORE_TOO_NEW', /version 99/, { readOnly: true });
    const { rows } = await c.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.parzen_migrations`);
    assert.equal(Number(rows[0].n), PG_MIGRATIONS.length + 1, 'every migration and the future one, nothing added');
  } finally {
    await c.end();
  }
});

test('a query on a database without a parzen store is STORE_NOT_FOUND and creates no tables', async () => {
  const url = db.freshStoreUrl().replace(/schema=\w+/, 'schema=public');
  await refuses(url, 'STORE_NOT_FOUND', /has no parzen tables; check --storage/, { readOnly: true });
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    assert.deepEqual(rows, []);
  } finally {
    await c.end();
  }
});

test('postgres:// is the same store as postgresql://, and a bad schema, pool_size or lease_ms is a ConfigError naming it', async () => {
  const store = await openStorage(db.freshStoreUrl().replace(/^postgresql:/, 'postgres:'));
  try {
    assert.equal((await store.createStudy({ name: 'alias', direction: 'minimize' })).name, 'alias');
  } finally {
    await store.close();
  }
  for (const [param, pattern] of [['schema=1bad', /schema "1bad" must be a plain identifier/], ['pool_size=0', /pool_size must be a positive integer/], ['lease_ms=x', /lease_ms must be a positive integer/]] as const) {
    await assert.rejects(openStorage(`postgresql://root:hunter2@127.0.0.1:1/tuning?${param}`), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, pattern);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
  }
  await assert.rejects(openStorage('postgresql://root@127.0.0.1:1/'), /names no database/);
});
