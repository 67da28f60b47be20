import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { categorical, float } from '../../src/space/distributions.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { PG_MIGRATIONS, migratePg } from '../../src/storage/postgres/migrations.js';
import { storedDistribution } from '../../src/storage/stored-distribution.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

function poolOn(url: string): { pool: pg.Pool; schema: string } {
  const schema = new URL(url).searchParams.get('schema') as string;
  return { pool: new pg.Pool({ connectionString: db.url, options: `-c search_path=${schema}` }), schema };
}

/** The foreign keys and indexes on trial_params, by the columns they cover. */
async function paramKeys(pool: pg.Pool, schema: string): Promise<{ fks: string[]; indexes: string[] }> {
  const fks = await pool.query<{ d: string }>(
    `SELECT pg_get_constraintdef(c.oid) AS d FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype = 'f' ORDER BY 1`,
    [`${schema}.trial_params`],
  );
  const ix = await pool.query<{ d: string }>('SELECT indexdef AS d FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1', [schema, 'trial_params']);
  return { fks: fks.rows.map((r) => r.d), indexes: ix.rows.map((r) => r.d.replace(/^.* USING btree /, '')) };
}

test('a store at schema 7 upgrades to param rows without a distribution key, keeping every param and its deletes', async () => {
  const url = db.freshStoreUrl();
  const { pool, schema } = poolOn(url);
  const x = storedDistribution(float(0, 1));
  const c = storedDistribution(categorical(['a', 'b']));
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await migratePg(client, 'the test store', PG_MIGRATIONS.slice(0, 7));
      await client.query(`INSERT INTO studies (name, direction, created_at, next_trial_number) VALUES ('s', 'minimize', 1, 1)`);
      await client.query(`INSERT INTO distributions (study_id, hash, json) VALUES (1, $1, $2), (1, $3, $4)`, [x.hash, x.json, c.hash, c.json]);
      await client.query(`INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete) VALUES (1, 0, 'COMPLETE', 0.25, 10, 20)`);
      await client.query(`INSERT INTO trial_params (trial_id, name, internal, distribution_id) VALUES (1, 'x', 0.5, 1), (1, 'c', 1, 2)`);
    } finally {
      client.release();
    }
    const old = await paramKeys(pool, schema);
    assert.equal(old.fks.length, 2, 'schema 7 checks the trial and the distribution');
    assert.ok(old.indexes.some((d) => d === '(distribution_id)'));

    const storage = await PostgresStorage.open(url);
    try {
      const t = await storage.getTrial(1);
      assert.deepEqual([t.params.x, t.params.c], [0.5, 'b'], 'the params stored before read back with their distributions');
      // A new trial's params still go through the join with distributions (a missing one is refused there).
      const u = await storage.createTrial(1);
      await storage.setTrialParams(u.trialId, [{ name: 'x', distribution: float(0, 1), internal: 0.75 }, { name: 'y', distribution: float(-1, 1), internal: 0 }]);
      await storage.finishTrial(u.trialId, { state: 'COMPLETE', value: 1 });
      assert.deepEqual((await storage.getTrial(u.trialId)).params, { x: 0.75, y: 0 });
    } finally {
      await storage.close();
    }
    const now = await paramKeys(pool, schema);
    // The trial key went too, in migration 10 (a trigger deletes a trial's params: postgres-trial-rows-need-no-keys).
    assert.deepEqual(now.fks, [], 'no key is left');
    assert.deepEqual(now.indexes, ['(trial_id, name)'], 'only the primary key is left');
    assert.equal((await pool.query<{ v: number }>('SELECT MAX(version) AS v FROM parzen_migrations')).rows[0].v, PG_MIGRATIONS.length);

    // A study's delete still takes its params and distributions with it.
    const again = await PostgresStorage.open(url);
    try {
      await again.deleteStudy('s');
    } finally {
      await again.close();
    }
    const left = await pool.query<{ p: number; d: number }>('SELECT (SELECT count(*) FROM trial_params)::int AS p, (SELECT count(*) FROM distributions)::int AS d');
    assert.deepEqual(left.rows[0], { p: 0, d: 0 });
  } finally {
    await pool.end();
  }
});
