import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import pg from 'pg';
import { pgTestDatabase } from '../storage/pg-server.js';
import { startTune } from './background.js';
import { fixture } from './cli.js';

const db = await pgTestDatabase();

interface Row {
  number: number;
  state: string;
  retryOf: number | null;
  x: number | null;
}

async function rows(c: pg.Client): Promise<Row[]> {
  const exists = (await c.query<{ t: string | null }>("SELECT to_regclass('trials')::text AS t")).rows[0].t !== null;
  if (!exists) return [];
  const { rows: r } = await c.query<Row>(
    `SELECT t.number::int, t.state, t.retry_of::int AS "retryOf", p.internal AS x
     FROM trials t LEFT JOIN trial_params p ON p.trial_id = t.trial_id AND p.name = 'x' ORDER BY t.number`,
  );
  return r;
}

test('with --retries 1, the worker that fails a killed host’s trial after its lease ran out reruns that trial’s params as a new trial linked by retryOf', async () => {
  const url = `${db.url}${db.url.includes('?') ? '&' : '?'}lease_ms=3000`;
  const args = ['worker', '--objective', fixture('sleepy'), '--study', 's', '--trials', '3', '--workers', '0', '--retries', '1', '--storage', url];
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const victim = startTune(args, { PARZEN_TEST_SLEEP_MS: '600000' });
    for (let i = 0; i < 600 && !(await rows(c)).some((r) => r.state === 'RUNNING' && r.x !== null); i++) await sleep(100);
    victim.kill('SIGKILL');
    assert.equal((await victim.exited).signal, 'SIGKILL');

    const healthy = startTune(args, { PARZEN_TEST_SLEEP_MS: '50' });
    const end = await healthy.exited;
    assert.equal(end.code, 0, healthy.stderr());

    const trials = await rows(c);
    assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3], 'dense numbers: the retry is a new trial');
    assert.equal(trials[0].state, 'FAIL', 'the killed host’s trial failed by its lease');
    assert.deepEqual(trials.slice(1).map((t) => t.state), ['COMPLETE', 'COMPLETE', 'COMPLETE']);
    const retry = trials.filter((t) => t.retryOf === 0);
    assert.equal(retry.length, 1, `exactly one retry of trial 0: ${JSON.stringify(trials)}`);
    assert.equal(retry[0].x, trials[0].x, 'the retry runs the failed trial’s params');
    assert.equal(trials.filter((t) => t.retryOf !== null).length, 1, 'no healthy trial was retried');
  } finally {
    await c.end();
  }
});
