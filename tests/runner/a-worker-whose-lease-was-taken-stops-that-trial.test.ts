import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import pg from 'pg';
import { InProcessRunner } from '../../src/runner/in-process.js';
import { runTrials, type RunEvent } from '../../src/runner/run-trials.js';
import { loadObjectiveModule } from '../../src/runner/target.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { openStorage } from '../../src/storage/open.js';
import { reapExpiredInTx } from '../../src/storage/postgres/trial-calls.js';
import { createStudy } from '../../src/study/create.js';
import { pgTestDatabase } from '../storage/pg-server.js';

const db = await pgTestDatabase();
const objective = resolve('tests/cli/fixtures/stops-when-told.ts');

test('a worker whose trial another host failed after its lease ran out stops that trial and writes nothing over the FAIL', { timeout: 30_000 }, async () => {
  const url = db.freshStoreUrl();
  const schema = new URL(url).searchParams.get('schema') ?? '';
  const storage = await openStorage(url, { leaseMs: 60_000 });
  const admin = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
  await admin.connect();
  try {
    const study = await createStudy({ storage, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    const logs: string[] = [];
    let stopped!: () => void;
    const objectiveStopped = new Promise<void>((r) => (stopped = r));
    const onEvent = (e: RunEvent): void => {
      if (e.type !== 'trial-log') return;
      logs.push(e.message);
      if (/^stopped at step/.test(e.message)) stopped();
    };
    const run = runTrials({
      study,
      storage,
      // A grace period longer than the test: the run must return because the lease was lost, not because it gave up.
      runner: new InProcessRunner({ graceMs: 600_000 }),
      target: { kind: 'objective', path: objective },
      space: (await loadObjectiveModule(objective)).space,
      nTrials: 1,
      budget: {},
      seed: 1,
      worker: 'host-a:1',
      codeVersion: null,
      heartbeatMs: 100,
      onEvent,
    });
    const count = async (): Promise<number> => (await admin.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM trial_intermediate_values')).rows[0].n;
    while ((await count()) < 3) await sleep(20);

    // Host a is partitioned: its lease runs out and host b fails the trial, in one transaction, so no heartbeat of
    // host a can renew the lease in between (it waits on the row lock and then finds the trial FAIL).
    await admin.query('BEGIN');
    await admin.query("UPDATE trials SET lease_expires = now() - interval '1 second' WHERE state = 'RUNNING'");
    const reaped = await reapExpiredInTx(admin as unknown as pg.PoolClient, study.studyId, Date.now(), 'host-b:2');
    await admin.query('COMMIT');
    assert.equal(reaped.length, 1);
    const nValuesAtReap = await count();

    const [t] = await run;
    assert.equal(t.state, 'FAIL');
    assert.match(t.error?.message ?? '', /lease of host-a:1 expired .* marked failed by host-b:2$/);
    await objectiveStopped;

    const stored = await storage.getTrial(t.trialId);
    assert.equal(stored.state, 'FAIL');
    assert.equal(stored.value, null, 'the value the objective returned after it was stopped was not written');
    assert.deepEqual(stored.error, t.error);
    assert.equal(await count(), nValuesAtReap, 'no intermediate value landed after the FAIL');
    const { rows } = await admin.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM trials');
    assert.equal(rows[0].n, 1);
  } finally {
    await admin.end();
    await storage.close();
  }
});
