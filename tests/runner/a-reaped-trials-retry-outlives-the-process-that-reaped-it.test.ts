import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { InProcessRunner } from '../../src/runner/in-process.js';
import { runSharedStudy } from '../../src/runner/shared-study.js';
import { loadObjectiveModule } from '../../src/runner/target.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { openStorage } from '../../src/storage/open.js';
import { createStudy } from '../../src/study/create.js';
import { pgTestDatabase } from '../storage/pg-server.js';

const db = await pgTestDatabase();
const objective = resolve('tests/cli/fixtures/quadratic.ts');

test('two expired trials reaped by a process that then dies are both retried by another process, linked by retryOf, within the study bound', { timeout: 60_000 }, async () => {
  const url = db.freshStoreUrl();
  const schema = new URL(url).searchParams.get('schema') ?? '';
  const admin = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
  await admin.connect();
  const a = await openStorage(url, { leaseMs: 60_000 });
  const b = await openStorage(url, { leaseMs: 60_000 });
  try {
    const space = (await loadObjectiveModule(objective)).space;
    const studyA = await createStudy({ storage: a, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    // A killed host ran two trials: both RUNNING with their params, then their leases run out.
    const ran = [];
    for (let i = 0; i < 2; i++) {
      const t = await studyA.ask({ space, worker: 'killed-host:1' });
      ran.push({ number: t.number, params: t.params });
    }
    await admin.query("UPDATE trials SET lease_expires = now() - interval '1 second' WHERE state = 'RUNNING'");
    // Process A reaps both with retries=1 and dies before running either retry (it never asks again).
    const reaped = (await a.reapExpiredLeases?.(studyA.studyId, 'reaper-a:2', 1)) ?? [];
    assert.deepEqual(reaped.map((t) => [t.number, t.state]), [[0, 'FAIL'], [1, 'FAIL']]);
    await a.close();
    // A second reaper finds nothing left to fail, so no trial gets a second retry.
    assert.deepEqual(await b.reapExpiredLeases?.(studyA.studyId, 'reaper-c:3', 1), []);

    const studyB = await createStudy({ storage: b, name: 's', sampler: new RandomSampler({ seed: 2 }), loadIfExists: true });
    const waiting = await studyB.getTrials(['WAITING']);
    assert.deepEqual(waiting.map((t) => [t.number, t.retryOf, t.params]), ran.map((r, i) => [2 + i, r.number, r.params]));

    // Process B fills the study to 3 COMPLETE: it runs both retries (claimed under the bound) and one new trial.
    const done = await runSharedStudy({
      study: studyB, storage: b, runner: new InProcessRunner(), target: { kind: 'objective', path: objective }, space,
      budget: {}, seed: 1, worker: 'host-b:4', codeVersion: null, retries: 1, nComplete: 3, pollMs: 20,
    });
    const all = await studyB.getTrials();
    assert.deepEqual(all.map((t) => [t.number, t.state, t.retryOf]), [
      [0, 'FAIL', null], [1, 'FAIL', null], [2, 'COMPLETE', 0], [3, 'COMPLETE', 1], [4, 'COMPLETE', null],
    ]);
    for (const r of ran) assert.deepEqual(all.find((t) => t.retryOf === r.number)?.params, r.params);
    assert.deepEqual(done.map((t) => t.number), [2, 3, 4]);
  } finally {
    await admin.end();
    await b.close();
  }
});

test('a shared study bounded at 2 COMPLETE with three WAITING retries present ends with exactly 2 COMPLETE', { timeout: 60_000 }, async () => {
  const url = db.freshStoreUrl();
  const storage = await openStorage(url, { leaseMs: 60_000 });
  try {
    const space = (await loadObjectiveModule(objective)).space;
    const study = await createStudy({ storage, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    const first = await study.ask({ space });
    const failed = await study.tell(first, { state: 'FAIL', error: new Error('boom') });
    for (let i = 0; i < 3; i++) await study.enqueueRetry(failed);
    await runSharedStudy({
      study, storage, runner: new InProcessRunner({}), target: { kind: 'objective', path: objective }, space,
      budget: {}, seed: 1, worker: 'w:1', codeVersion: null, nComplete: 2, pollMs: 20,
    });
    const states = (await study.getTrials()).map((t) => t.state);
    assert.deepEqual(states, ['FAIL', 'COMPLETE', 'COMPLETE', 'WAITING']);
  } finally {
    await storage.close();
  }
});
