import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import pg from 'pg';
import { float } from '../../src/space/distributions.js';
import { openStorage } from '../../src/storage/open.js';
import { startTune } from '../cli/background.js';
import { fixture, tune } from '../cli/cli.js';
import { faultProxy } from './pg-fault-proxy.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

test('a write whose reply is lost after it committed is recognised by its token, not repeated: one trial, its params once, its finish once', async () => {
  const url = db.freshStoreUrl();
  const proxy = await faultProxy(url);
  const store = await openStorage(proxy.url);
  const direct = await openStorage(url);
  try {
    const { studyId } = await store.createStudy({ name: 's', direction: 'minimize' });
    proxy.arm('parzen_create_trial', 'afterReply');
    const t0 = await store.createTrial(studyId);
    assert.equal(proxy.nCut, 1, 'the connection was cut after the server committed');
    assert.equal(t0.number, 0);
    assert.deepEqual((await direct.getAllTrials(studyId)).map((t) => [t.number, t.state]), [[0, 'RUNNING']], 'created once');
    assert.equal((await store.createTrial(studyId)).number, 1, 'the next number follows: no gap, no duplicate');

    proxy.arm('parzen_trial_writes', 'afterReply');
    await store.setTrialParams(t0.trialId, [{ name: 'x', distribution: float(0, 1), internal: 0.5 }]);
    assert.equal(proxy.nCut, 2, 'the connection was cut after the params committed; the rerun did not report PARAM_CONFLICT');
    assert.deepEqual((await direct.getTrial(t0.trialId)).params, { x: 0.5 });

    proxy.arm('parzen_finish_trial', 'afterReply');
    const done = await store.finishTrial(t0.trialId, { state: 'COMPLETE', value: 0.25 });
    assert.equal(proxy.nCut, 3);
    assert.deepEqual([done.state, done.value], ['COMPLETE', 0.25]);
    const stored = await direct.getTrial(t0.trialId);
    assert.deepEqual([stored.state, stored.value], ['COMPLETE', 0.25]);
  } finally {
    await Promise.all([store.close(), direct.close()]);
    await proxy.close();
  }
});

test('a write cut before the server got it is run again on a new connection, leaving no gap in the numbers', async () => {
  const url = db.freshStoreUrl();
  const proxy = await faultProxy(url);
  const store = await openStorage(proxy.url);
  try {
    const { studyId } = await store.createStudy({ name: 's', direction: 'minimize' });
    proxy.arm('parzen_create_trial', 'before');
    const t = await store.createTrial(studyId);
    assert.equal(proxy.nCut, 1);
    assert.equal(t.number, 0, 'the cut call took no number');
    proxy.arm('parzen_trial_writes', 'before');
    await store.setTrialParams(t.trialId, [{ name: 'x', distribution: float(0, 1), internal: 0.5 }]);
    assert.equal(proxy.nCut, 2);
    assert.deepEqual((await store.getTrial(t.trialId)).params, { x: 0.5 });
    assert.equal((await store.getAllTrials(studyId)).length, 1);
  } finally {
    await store.close();
    await proxy.close();
  }
});

test('tune worker finishes every trial while the server terminates its connections again and again (pg_terminate_backend)', async () => {
  const url = db.freshStoreUrl();
  const schema = new URL(url).searchParams.get('schema') ?? '';
  const N = 15;
  const admin = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema},public` });
  await admin.connect();
  try {
    const worker = startTune(['worker', '--objective', fixture('sleepy'), '--study', 's', '--trials', String(N), '--workers', '0', '--storage', url], {
      PARZEN_TEST_SLEEP_MS: '30',
    });
    // Once the worker has opened the store (its migrations ran), terminate its backends again and again until it
    // exits: each time after it has made some progress since the last (a trial created or finished), so a slow machine
    // is cut as often per trial as a fast one, never faster than the worker can reconnect and write.
    let exited = false;
    void worker.exited.then(() => (exited = true));
    const progress = async (): Promise<number> => {
      if ((await admin.query<{ t: string | null }>(`SELECT to_regclass('${schema}.trials')::text AS t`)).rows[0].t === null) return 0;
      return (await admin.query<{ n: number }>(`SELECT (COUNT(*) + COUNT(*) FILTER (WHERE state = 'COMPLETE'))::int AS n FROM ${schema}.trials`)).rows[0].n;
    };
    let seen = 0;
    while (!exited && (seen = await progress()) === 0) await sleep(50);
    let nTerminated = 0;
    while (!exited) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'parzen' AND pid <> pg_backend_pid()`,
      );
      nTerminated += rows[0].n;
      const before = seen;
      while (!exited && (seen = await progress()) === before) await sleep(50);
    }
    assert.equal((await worker.exited).code, 0, worker.stderr());
    assert.ok(nTerminated >= 3, `the server terminated the worker's connections ${nTerminated} times`);
    const listed = tune(['trials', '--study', 's', '--json', '--storage', url]);
    assert.equal(listed.status, 0, listed.stderr);
    const trials = JSON.parse(listed.stdout) as { number: number; state: string; error: unknown }[];
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: N }, (_, i) => i), 'dense: no trial created twice');
    assert.deepEqual(trials.filter((t) => t.state !== 'COMPLETE'), [], 'no trial failed or was lost');
  } finally {
    await admin.end();
  }
});
