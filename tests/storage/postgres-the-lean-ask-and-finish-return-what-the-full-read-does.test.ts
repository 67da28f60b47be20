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

test("an ask's new trial, built from what it inserted, equals the trial as another host's full read returns it", async () => {
  const url = db.freshStoreUrl();
  const mine = await PostgresStorage.open(url);
  const other = await PostgresStorage.open(url);
  try {
    const { studyId } = await mine.createStudy({ name: 's', direction: 'minimize' });
    const template = { seed: 7, codeVersion: 'abc', budget: { epochs: 3 }, retryOf: null };
    for (let i = 0; i < 3; i++) {
      const { trial, trials } = await mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template });
      assert.deepEqual(trials.map((t) => t.number), Array.from({ length: i + 1 }, (_, k) => k));
      const read = (await other.getAllTrials(studyId)).find((t) => t.trialId === trial.trialId);
      assert.deepEqual(trial, read, `ask ${i}: the same trial, field for field`);
      assert.deepEqual([trial.state, trial.worker, trial.seed, trial.codeVersion, trial.budget], ['RUNNING', 'w', 7, 'abc', { epochs: 3 }]);
      await mine.finishTrialWith(trial.trialId, { state: 'COMPLETE', value: i }, {
        params: [{ name: 'x', distribution: float(0, 1), internal: 0.5 }],
        attrs: [{ kind: 'user', key: 'k', value: i }],
      });
    }
    // Another host's trial above the cursor: the ask reads it (the full read), params and all.
    const theirs = await other.createTrial(studyId, { params: { c: { distribution: categorical(['a', 'b']), internal: 1 } } });
    const { trial, trials } = await mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template });
    assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'COMPLETE'], [2, 'COMPLETE'], [3, 'RUNNING'], [4, 'RUNNING']]);
    assert.deepEqual(trials[3], await other.getTrial(theirs.trialId));
    assert.deepEqual(trials[3].params, { c: 'b' });
    assert.equal(trial.number, 4);
  } finally {
    await Promise.all([mine.close(), other.close()]);
  }
});

test('a store at schema 8 upgrades to the lean ask and finish: enqueued trials are claimed with their params, finishes return every write', async () => {
  const url = db.freshStoreUrl();
  const { pool, schema } = poolOn(url);
  const x = storedDistribution(float(0, 1));
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await migratePg(client, 'the test store', PG_MIGRATIONS.slice(0, 8));
      await client.query(`INSERT INTO studies (name, direction, created_at, next_trial_number) VALUES ('s', 'minimize', 1, 2)`);
      await client.query(`INSERT INTO distributions (study_id, hash, json) VALUES (1, $1, $2)`, [x.hash, x.json]);
      await client.query(`INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete) VALUES (1, 0, 'COMPLETE', 0.25, 10, 20), (1, 1, 'WAITING', NULL, NULL, NULL)`);
      await client.query(`INSERT INTO trial_params (trial_id, name, internal, distribution_id) VALUES (1, 'x', 0.5, 1), (2, 'x', 0.75, 1)`);
    } finally {
      client.release();
    }
    const storage = await PostgresStorage.open(url);
    try {
      const template = { seed: null, codeVersion: null, budget: null, retryOf: null };
      const claimed = await storage.askTrial(1, { claimAs: 'w', worker: 'w', template });
      assert.deepEqual([claimed.trial.number, claimed.trial.state, claimed.trial.worker, claimed.trial.params], [1, 'RUNNING', 'w', { x: 0.75 }]);
      const created = await storage.askTrial(1, { claimAs: 'w', worker: 'w', template });
      assert.deepEqual([created.trial.number, created.trial.state, created.trials.length], [2, 'RUNNING', 3]);
      await storage.setTrialIntermediateValue(created.trial.trialId, 0, 0.5);
      const done = await storage.finishTrialWith(created.trial.trialId, { state: 'PRUNED' }, {
        params: [{ name: 'x', distribution: float(0, 1), internal: 0.125 }, { name: 'y', distribution: float(-1, 1), internal: 0 }],
        attrs: [{ kind: 'user', key: 'k', value: 'v' }, { kind: 'system', key: 'n', value: 3 }],
      });
      assert.deepEqual(
        [done.state, done.value, done.params, done.userAttrs, done.systemAttrs, [...done.intermediateValues]],
        ['PRUNED', 0.5, { x: 0.125, y: 0 }, { k: 'v' }, { n: 3 }, [[0, 0.5]]],
        'the finish returns its params, attributes and the last value it took',
      );
      assert.deepEqual(done, await storage.findTrialByNumber(1, 2));
      await assert.rejects(
        storage.finishTrialWith(claimed.trial.trialId, { state: 'COMPLETE', value: 1 }, { params: [{ name: 'x', distribution: float(0, 1), internal: 0.2 }], attrs: [] }),
        (e: Error & { code?: string }) => e.code === 'PARAM_CONFLICT',
        'a param the claimed trial holds is refused, nothing written',
      );
      assert.equal((await storage.getTrial(claimed.trial.trialId)).state, 'RUNNING');
    } finally {
      await storage.close();
    }
    const ix = await pool.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = $1 AND indexname = 'trials_study_waiting'`, [schema]);
    assert.match(ix.rows[0]?.d ?? '', /\(study_id, number\) WHERE \(state = 'WAITING'::text\)/);
    assert.equal((await pool.query<{ v: number }>('SELECT MAX(version) AS v FROM parzen_migrations')).rows[0].v, PG_MIGRATIONS.length);
  } finally {
    await pool.end();
  }
});
