import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { float, categorical } from '../../src/space/distributions.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { PG_MIGRATIONS, migratePg } from '../../src/storage/postgres/migrations.js';
import { storedDistribution } from '../../src/storage/stored-distribution.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

/** A pool on `url`'s database with the store's schema as search_path. */
function poolOn(url: string): { pool: pg.Pool; schema: string } {
  const schema = new URL(url).searchParams.get('schema') as string;
  return { pool: new pg.Pool({ connectionString: db.url, options: `-c search_path=${schema}` }), schema };
}

test('no trial function of the store is LANGUAGE sql: a SQL function called from PL/pgSQL is planned on every call', async () => {
  const url = db.freshStoreUrl();
  await (await PostgresStorage.open(url)).close();
  const { pool, schema } = poolOn(url);
  try {
    const { rows } = await pool.query<{ name: string; lang: string }>(
      `SELECT p.proname AS name, l.lanname AS lang FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
       WHERE n.nspname = $1 AND p.proname LIKE 'parzen\\_%' ORDER BY 1`,
      [schema],
    );
    assert.ok(rows.some((r) => r.name === 'parzen_trial_json') && rows.some((r) => r.name === 'parzen_insert_attrs'), 'the functions exist');
    assert.deepEqual(rows.filter((r) => r.lang !== 'plpgsql'), [], 'every trial function is PL/pgSQL');
  } finally {
    await pool.end();
  }
});

test('a store at schema 5 upgrades to PL/pgSQL trial functions that return every trial exactly as before', async () => {
  const url = db.freshStoreUrl();
  const { pool, schema } = poolOn(url);
  const x = storedDistribution(float(0, 1));
  const c = storedDistribution(categorical(['a', 'b']));
  let before: unknown[];
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await migratePg(client, 'the test store', PG_MIGRATIONS.slice(0, 5));
      await client.query(`INSERT INTO studies (name, direction, created_at, next_trial_number) VALUES ('s', 'minimize', 1, 3)`);
      await client.query(`INSERT INTO distributions (study_id, hash, json) VALUES (1, $1, $2), (1, $3, $4)`, [x.hash, x.json, c.hash, c.json]);
      await client.query(
        `INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete, worker, seed, budget_json)
         VALUES (1, 0, 'COMPLETE', 0.25, 10, 20, 'w', 7, '{"epochs":2}'), (1, 1, 'FAIL', NULL, 30, 40, NULL, NULL, NULL), (1, 2, 'PRUNED', '-Infinity', 50, 60, NULL, NULL, NULL)`,
      );
      await client.query(`UPDATE trials SET error_message = 'boom', error_code = 'OBJECTIVE' WHERE number = 1`);
      await client.query(`INSERT INTO trial_params (trial_id, name, internal, distribution_id) VALUES (1, 'x', 0.5, 1), (1, 'c', 1, 2), (3, 'x', 0.1, 1)`);
      await client.query(`INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES (1, 0, 0.5), (1, 1, 0.25), (3, 0, '-Infinity')`);
      await client.query(`INSERT INTO trial_attrs (trial_id, kind, key, value_json) VALUES (1, 'user', 'k', '"v"'), (1, 'system', 'n', '3')`);
      before = (await client.query<{ j: unknown }>('SELECT parzen_trial_json(trial_id) AS j FROM trials ORDER BY trial_id')).rows.map((r) => r.j);
    } finally {
      client.release();
    }
    const storage = await PostgresStorage.open(url);
    try {
      const t = await storage.getTrial(1);
      assert.deepEqual([t.number, t.value, t.params.x, t.userAttrs, t.systemAttrs], [0, 0.25, 0.5, { k: 'v' }, { n: 3 }]);
      // An attribute written through the replaced parzen_insert_attrs upserts as before.
      await storage.setTrialAttr((await storage.createTrial(1)).trialId, 'user', 'k', 1);
    } finally {
      await storage.close();
    }
    const { rows } = await pool.query<{ j: unknown; v: number }>(
      'SELECT parzen_trial_json(trial_id) AS j, (SELECT MAX(version) FROM parzen_migrations) AS v FROM trials WHERE trial_id <= 3 ORDER BY trial_id',
    );
    assert.equal(rows[0].v, PG_MIGRATIONS.length);
    assert.deepEqual(rows.map((r) => r.j), before, 'the same JSON, field for field');
  } finally {
    await pool.end();
  }
});
