import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { PG_MIGRATIONS, migratePg } from '../../src/storage/postgres/migrations.js';
import { pgTestDatabase } from './pg-server.js';

// Issue 14: a suggestion at 20,000 stored trials costs no more on the server than one at 1,000. Migration 12: the
// lean ask's usual-ask test had a cached generic plan that scanned the trials table under its LIMIT, reading every
// older trial per ask. What a lifecycle reads from `trials` is counted by the server for this backend's open
// transaction (pg_stat_xact_user_tables, pg_stat_get_xact_blocks_fetched): exact, and the machine's load does not
// move it. Pages count too, the table's and its indexes': an index range walked entry by entry reads pages in
// proportion to the study even where no row count sees it (a btree skips the entries its keys rule out itself).

const db = await pgTestDatabase();
const SMALL = 2_000;
const LARGE = 10_000;

function poolOn(url: string): { pool: pg.Pool; schema: string } {
  const schema = new URL(url).searchParams.get('schema') as string;
  return { pool: new pg.Pool({ connectionString: db.url, options: `-c search_path=${schema}` }), schema };
}

/** `n` COMPLETE trials (numbers from the study's next one on), added by SQL, then ANALYZE: what a long study leaves. */
async function addFinishedTrials(pool: pg.Pool, studyId: number, n: number): Promise<void> {
  await pool.query(
    `WITH s AS (UPDATE studies SET next_trial_number = next_trial_number + $2 WHERE study_id = $1 RETURNING next_trial_number - $2 AS first)
     INSERT INTO trials (study_id, number, state, value, datetime_start, datetime_complete)
       SELECT $1, s.first + k, 'COMPLETE', k, 1, 2 FROM s, generate_series(0, $2::int - 1) k`,
    [studyId, n],
  );
  await pool.query('ANALYZE trials');
}

interface Reads {
  readonly seqScans: number;
  readonly seqRows: number;
  readonly indexRows: number;
  /** Pages of trials and of its indexes read, in shared buffers or not. */
  readonly pages: number;
}
/**
 * Pages a lifecycle may read more at LARGE than at SMALL (both studies large enough for index plans, their indexes
 * as deep: equal counts in practice); a walk of the study's range reads ~30 index pages more per lifecycle at LARGE.
 */
const SLACK_PAGES = 2;
const MEASURED = 4;

let nTokens = 0;

/**
 * What `n` usual lifecycles of one worker read from `trials`, summed, after `warm` untimed ones on the same
 * connection (a store connection's PL/pgSQL plans are cached per connection; after the fifth call the plan cache
 * may settle on the generic plan). Each is the lean ask (cursor at the worker's last trial, lease reap on, as `tune
 * worker` asks) and the finish, in one transaction whose counts the server keeps apart.
 */
async function lifecycleReads(pool: pg.Pool, studyId: number, planCacheMode: string, warm = 6, n = MEASURED): Promise<Reads> {
  const c = await pool.connect();
  try {
    await c.query(`SET plan_cache_mode = ${planCacheMode}`);
    let after = Number((await c.query<{ m: string }>('SELECT max(trial_id) AS m FROM trials WHERE study_id = $1', [studyId])).rows[0].m);
    const sum = { seqScans: 0, seqRows: 0, indexRows: 0, pages: 0 };
    const counts = async (): Promise<Reads> => {
      const { rows } = await c.query<{ s: string; sr: string; ir: string; p: string }>(
        `SELECT seq_scan AS s, seq_tup_read AS sr, COALESCE(idx_tup_fetch, 0) AS ir, pg_stat_get_xact_blocks_fetched('trials'::regclass) +
           (SELECT sum(pg_stat_get_xact_blocks_fetched(i.indexrelid)) FROM pg_index i WHERE i.indrelid = 'trials'::regclass) AS p
         FROM pg_stat_xact_user_tables WHERE relid = 'trials'::regclass`,
      );
      return { seqScans: Number(rows[0].s), seqRows: Number(rows[0].sr), indexRows: Number(rows[0].ir), pages: Number(rows[0].p) };
    };
    for (let i = 0; i < warm + n; i++) {
      const token = `t${String(nTokens++)}`;
      await c.query('BEGIN');
      const before = await counts();
      const { rows } = await c.query<{ ask_status: string; ask_trial: string; ask_number: string | null }>(
        `SELECT ask_status, ask_trial, ask_number FROM parzen_ask_lean($1::bigint, 'w', 'w', 5, NULL, NULL, NULL, NULL, 60000, NULL, $2::text, false,
           $3::bigint, '{}', '{}', 'w', 0)`,
        [studyId, token, after],
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0].ask_status, 'ok');
      assert.notEqual(rows[0].ask_number, null, 'the usual ask: the trial it created, nothing read');
      after = Number(rows[0].ask_trial);
      const f = await c.query<{ status: string }>(
        `SELECT status FROM parzen_finish_trial($1::bigint, 'COMPLETE', 0.5, false, 6, NULL, NULL, NULL, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
           $2::text, false, $3::text)`,
        [after, `f${token}`, token],
      );
      assert.equal(f.rows[0].status, 'ok');
      const done = await counts();
      await c.query('COMMIT');
      if (i < warm) continue;
      sum.seqScans += done.seqScans - before.seqScans;
      sum.seqRows += done.seqRows - before.seqRows;
      sum.indexRows += done.indexRows - before.indexRows;
      sum.pages += done.pages - before.pages;
    }
    return sum;
  } finally {
    c.release();
  }
}

interface Seeded {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly studyId: number;
}

/** A fresh store at schema `version` (the newest when not given) holding study `s` with `size` finished trials. */
async function storeWith(size: number, version?: number): Promise<Seeded> {
  const url = db.freshStoreUrl();
  const { pool, schema } = poolOn(url);
  if (version === undefined) {
    await (await PostgresStorage.open(url)).close();
  } else {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await migratePg(client, 'the test store', PG_MIGRATIONS.slice(0, version));
    } finally {
      client.release();
    }
  }
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO studies (name, direction, created_at) VALUES ('s', 'minimize', 1) RETURNING study_id AS id`);
  const studyId = Number(rows[0].id);
  await addFinishedTrials(pool, studyId, size);
  return { url, pool, studyId };
}

for (const mode of ['auto', 'force_generic_plan', 'force_custom_plan']) {
  test(`a lifecycle reads the same rows and pages of trials at ${LARGE} trials as at ${SMALL}, none by a sequential scan (plan_cache_mode ${mode})`, async () => {
    const stores = [await storeWith(SMALL), await storeWith(LARGE)];
    try {
      const [small, large] = [await lifecycleReads(stores[0].pool, stores[0].studyId, mode), await lifecycleReads(stores[1].pool, stores[1].studyId, mode)];
      const both = `at ${LARGE} trials ${JSON.stringify(large)}, at ${SMALL} ${JSON.stringify(small)} (${MEASURED} lifecycles)`;
      assert.deepEqual([large.seqRows, small.seqRows], [0, 0], `rows read by sequential scan ${both}`);
      assert.equal(large.indexRows, small.indexRows, `rows fetched by index ${both}`);
      assert.ok(large.pages <= small.pages + SLACK_PAGES * MEASURED, `pages read ${both}`);
    } finally {
      await Promise.all(stores.map((s) => s.pool.end()));
    }
  });
}

test("a store at schema 11 upgrades to 12 in place: its lean ask then reads the large study by index, and asks still read other hosts' trials", async () => {
  const { url, pool, studyId } = await storeWith(LARGE, 11);
  const versions = async (): Promise<number[]> => (await pool.query<{ v: number }>('SELECT version AS v FROM parzen_migrations ORDER BY version')).rows.map((r) => r.v);
  try {
    assert.deepEqual(await versions(), PG_MIGRATIONS.slice(0, 11).map((m) => m.version));
    const mine = await PostgresStorage.open(url);
    const other = await PostgresStorage.open(url);
    try {
      assert.deepEqual(await versions(), PG_MIGRATIONS.map((m) => m.version), 'migration 12 applied once, at open');
      assert.equal((await mine.getAllTrials(studyId)).length, LARGE);
      const template = { seed: 3, codeVersion: null, budget: null, retryOf: null };
      const first = await mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template });
      assert.deepEqual([first.trial.number, first.trials.length], [LARGE, LARGE + 1]);
      await mine.finishTrial(first.trial.trialId, { state: 'COMPLETE', value: 1 });
      const theirs = await other.createTrial(studyId, { worker: 'o' });
      const second = await mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template });
      assert.deepEqual(second.trials.slice(LARGE), (await other.getAllTrials(studyId)).slice(LARGE), 'the newest trials, as a full read returns them');
      assert.deepEqual(second.trials.slice(LARGE).map((t) => [t.number, t.state, t.worker]), [[LARGE, 'COMPLETE', 'w'], [LARGE + 1, 'RUNNING', 'o'], [LARGE + 2, 'RUNNING', 'w']]);
      assert.equal(second.trials[LARGE + 1].trialId, theirs.trialId);
    } finally {
      await Promise.all([mine.close(), other.close()]);
    }
    const reads = await lifecycleReads(pool, studyId, 'auto');
    assert.equal(reads.seqRows, 0, `after the upgrade: ${JSON.stringify(reads)}`);
    const small = await storeWith(SMALL);
    try {
      const before = await lifecycleReads(small.pool, small.studyId, 'auto');
      assert.ok(reads.pages <= before.pages + SLACK_PAGES * MEASURED, `pages read after the upgrade at ${LARGE} trials: ${JSON.stringify(reads)}, at ${SMALL}: ${JSON.stringify(before)}`);
    } finally {
      await small.pool.end();
    }
  } finally {
    await pool.end();
  }
});
