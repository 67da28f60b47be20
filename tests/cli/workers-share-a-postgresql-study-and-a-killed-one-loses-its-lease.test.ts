import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import pg from 'pg';
import { pgTestDatabase } from '../storage/pg-server.js';
import { startTune } from './background.js';
import { fixture, tune } from './cli.js';

const db = await pgTestDatabase();
const N = 40;

/** Polls the store until `ok` holds for the study's trials (each poll is one query; no timing is asserted). */
async function waitFor(c: pg.Client, what: string, ok: (rows: { number: number; state: string; worker: string }[]) => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    // Until the first worker has created the store's tables there are none to read.
    const exists = (await c.query<{ t: string | null }>("SELECT to_regclass('trials')::text AS t")).rows[0].t !== null;
    const { rows } = exists
      ? await c.query<{ number: number; state: string; worker: string }>('SELECT number::int, state, worker FROM trials ORDER BY number')
      : { rows: [] };
    if (ok(rows)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('4 tune workers fill one PostgreSQL study to exactly N COMPLETE with dense numbers; a SIGKILLed worker’s trial is failed by its lease, and no healthy trial is', async () => {
  // A short lease (3 s; heartbeats every 750 ms) so the killed worker's trial is freed quickly.
  const url = `${db.url}${db.url.includes('?') ? '&' : '?'}lease_ms=3000`;
  const args = (trials = N) => ['worker', '--objective', fixture('sleepy'), '--study', 's', '--trials', String(trials), '--workers', '0', '--storage', url];
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    // The victim's trial sleeps for ten minutes: it is mid-trial for as long as the test needs.
    const victim = startTune(args(), { PARZEN_TEST_SLEEP_MS: '600000' });
    await waitFor(c, 'the victim to start a trial', (rows) => rows.some((r) => r.state === 'RUNNING'));
    const healthy = Array.from({ length: 4 }, () => startTune(args(), { PARZEN_TEST_SLEEP_MS: '50' }));
    // While the victim holds one RUNNING trial the others can complete only N - 1: they wait, asking for no more.
    await waitFor(c, `${N - 1} COMPLETE trials`, (rows) => rows.filter((r) => r.state === 'COMPLETE').length === N - 1);
    victim.kill('SIGKILL');
    assert.equal((await victim.exited).signal, 'SIGKILL');
    const ends = await Promise.all(healthy.map((h) => h.exited));
    assert.deepEqual(ends.map((e) => e.code), [0, 0, 0, 0], healthy.map((h) => h.stderr()).join('\n---\n'));

    const listed = tune(['trials', '--study', 's', '--json', '--storage', db.url]);
    assert.equal(listed.status, 0, listed.stderr);
    const trials = JSON.parse(listed.stdout) as { number: number; state: string; error: { code: string; message: string } | null }[];
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: trials.length }, (_, i) => i), 'dense, no duplicates');
    assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, N);
    const failed = trials.filter((t) => t.state !== 'COMPLETE');
    assert.equal(failed.length, 1, `only the killed worker's trial fails: ${JSON.stringify(failed)}`);
    assert.equal(failed[0].state, 'FAIL');
    assert.equal(failed[0].error?.code, 'WORKER');
    assert.match(failed[0].error?.message ?? '', /lease of .* expired .* \(server time\)/);
  } finally {
    await c.end();
  }
});
