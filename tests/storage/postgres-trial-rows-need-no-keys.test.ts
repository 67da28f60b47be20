import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { float } from '../../src/space/distributions.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { PG_MIGRATIONS, migratePg } from '../../src/storage/postgres/migrations.js';
import { StorageError } from '../../src/errors.js';
import { pgTestDatabase } from './pg-server.js';

// Migration 10: trials, trial_params and trial_attrs carry no foreign key (each insert holds its parent's row lock
// instead); statement triggers delete a study's trials and a trial's params and attributes as the keys' cascades did.

const db = await pgTestDatabase();

function poolOn(url: string): { pool: pg.Pool; schema: string } {
  const schema = new URL(url).searchParams.get('schema') as string;
  return { pool: new pg.Pool({ connectionString: db.url, options: `-c search_path=${schema}` }), schema };
}

/** Foreign keys of the tables a lifecycle inserts into, as "table: definition". */
async function lifecycleKeys(pool: pg.Pool, schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ d: string }>(
    `SELECT c.conrelid::regclass::text || ': ' || pg_get_constraintdef(c.oid) AS d FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = $1::regnamespace AND c.conrelid::regclass::text IN ('trials', 'trial_params', 'trial_attrs') ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.d);
}

/** Rows left in each table a study's trials fill. */
async function counts(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM trials)::int AS trials, (SELECT count(*) FROM trial_params)::int AS params,
       (SELECT count(*) FROM trial_attrs)::int AS attrs, (SELECT count(*) FROM trial_intermediate_values)::int AS "values",
       (SELECT count(*) FROM distributions)::int AS distributions`,
  );
  return rows[0];
}

test('a store at schema 9 loses the trial keys, and deleting a study or a trial still deletes every row under it', async () => {
  const url = db.freshStoreUrl();
  const { pool, schema } = poolOn(url);
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await migratePg(client, 'the test store', PG_MIGRATIONS.slice(0, 9));
    } finally {
      client.release();
    }
    assert.deepEqual(await lifecycleKeys(pool, schema), [
      'trial_attrs: FOREIGN KEY (trial_id) REFERENCES trials(trial_id) ON DELETE CASCADE',
      'trial_params: FOREIGN KEY (trial_id) REFERENCES trials(trial_id) ON DELETE CASCADE',
      'trials: FOREIGN KEY (study_id) REFERENCES studies(study_id) ON DELETE CASCADE',
    ]);

    const storage = await PostgresStorage.open(url);
    try {
      assert.deepEqual(await lifecycleKeys(pool, schema), [], 'schema 10 has none of them');
      const studies = [await storage.createStudy({ name: 'gone', direction: 'minimize' }), await storage.createStudy({ name: 'kept', direction: 'minimize' })];
      for (const s of studies) {
        for (let k = 0; k < 2; k++) {
          const t = await storage.createTrial(s.studyId, { userAttrs: { k } });
          await storage.setTrialIntermediateValue(t.trialId, 0, k);
          const params = [{ name: 'x', distribution: float(0, 1), internal: 0.5 }, { name: `y${s.name}`, distribution: float(0, 2), internal: 1 }];
          await storage.finishTrialWith?.(t.trialId, { state: 'COMPLETE', value: k }, { params, attrs: [{ kind: 'system', key: 'k', value: k }] });
        }
      }
      assert.deepEqual(await counts(pool), { trials: 4, params: 8, attrs: 8, values: 4, distributions: 4 });

      await storage.deleteStudy('gone');
      assert.deepEqual(await counts(pool), { trials: 2, params: 4, attrs: 4, values: 2, distributions: 2 }, "only the other study's rows are left");
      const kept = await storage.getAllTrials(studies[1].studyId);
      assert.deepEqual(kept.map((t) => [t.params, t.userAttrs, t.systemAttrs, [...t.intermediateValues]]), [
        [{ x: 0.5, ykept: 1 }, { k: 0 }, { k: 0 }, [[0, 0]]],
        [{ x: 0.5, ykept: 1 }, { k: 1 }, { k: 1 }, [[0, 1]]],
      ]);

      // A trial deleted by hand takes its rows with it, and a write to it afterwards is refused, leaving none behind.
      const running = await storage.createTrial(studies[1].studyId, { userAttrs: { a: 1 } });
      await pool.query('DELETE FROM trials WHERE trial_id = $1', [running.trialId]);
      assert.deepEqual(await counts(pool), { trials: 2, params: 4, attrs: 4, values: 2, distributions: 2 });
      await assert.rejects(
        storage.finishTrialWith?.(running.trialId, { state: 'COMPLETE', value: 1 }, { params: [{ name: 'x', distribution: float(0, 1), internal: 0.1 }], attrs: [] }) ??
          Promise.resolve(),
        (e: unknown) => e instanceof StorageError && (e.code === 'TRIAL_NOT_FOUND' || e.code === 'TRIAL_LOST'),
      );
      assert.deepEqual(await counts(pool), { trials: 2, params: 4, attrs: 4, values: 2, distributions: 2 }, 'the refused finish wrote nothing');

      // A study deleted by hand (its row alone, as the key's cascade allowed) still takes everything with it.
      await pool.query("DELETE FROM studies WHERE name = 'kept'");
      assert.deepEqual(await counts(pool), { trials: 0, params: 0, attrs: 0, values: 0, distributions: 0 });
    } finally {
      await storage.close();
    }
  } finally {
    await pool.end();
  }
});
