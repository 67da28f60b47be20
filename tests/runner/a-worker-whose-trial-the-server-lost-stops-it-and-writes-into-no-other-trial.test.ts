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
import { createStudy } from '../../src/study/create.js';
import { pgTestDatabase } from '../storage/pg-server.js';

const db = await pgTestDatabase();
const objective = resolve('tests/cli/fixtures/stops-when-told.ts');

test('a worker whose RUNNING trial the server lost in a crash (its id taken by another trial since) stops it, warns, and writes nothing into the other trial', { timeout: 30_000 }, async () => {
  const url = db.freshStoreUrl();
  const schema = new URL(url).searchParams.get('schema') ?? '';
  const storage = await openStorage(url, { leaseMs: 60_000 });
  const admin = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
  await admin.connect();
  try {
    const study = await createStudy({ storage, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    const warnings: string[] = [];
    const onEvent = (e: RunEvent): void => {
      if (e.type === 'trial-log' && e.level === 'warn') warnings.push(e.message);
    };
    const run = runTrials({
      study,
      storage,
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

    // The crash lost host a's trial (its create was not yet on disk) and another host's create took its id and number.
    await admin.query('BEGIN');
    const { rows: gone } = await admin.query<{ id: number; number: number }>("DELETE FROM trials WHERE state = 'RUNNING' RETURNING trial_id::int AS id, number::int AS number");
    assert.equal(gone.length, 1);
    await admin.query(
      `INSERT INTO trials (trial_id, study_id, number, state, datetime_start, worker, lease_expires, write_token, owner_token)
       VALUES ($1, $2, $3, 'RUNNING', 0, 'host-b:2', now() + interval '1 hour', 'b:1', 'b:1')`,
      [gone[0].id, study.studyId, gone[0].number],
    );
    await admin.query('COMMIT');

    assert.deepEqual(await run, [], 'the lost trial is no result of this run');
    assert.ok(warnings.some((w) => /is no longer in the store: the database server lost it/.test(w)), warnings.join('\n'));
    const other = await storage.getTrial(gone[0].id);
    assert.deepEqual([other.state, other.worker, other.value, other.intermediateValues.size], ['RUNNING', 'host-b:2', null, 0]);
    const { rows } = await admin.query<{ n: number }>(
      'SELECT (SELECT COUNT(*) FROM trials) + (SELECT COUNT(*) FROM trial_attrs) + (SELECT COUNT(*) FROM trial_logs) + (SELECT COUNT(*) FROM trial_metrics) AS n',
    );
    assert.equal(Number(rows[0].n), 1, 'only the other host\'s trial row: no attribute, log or metric of host a landed on it');
  } finally {
    await admin.end();
    await storage.close();
  }
});
