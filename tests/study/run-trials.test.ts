import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { hostname } from 'node:os';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { createStudy } from '../../src/study/create.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { InProcessRunner } from '../../src/runner/in-process.js';
import { runTrials, trialSeed } from '../../src/runner/run-trials.js';
import { loadObjectiveModule } from '../../src/runner/target.js';
import { reapOrphans } from '../../src/runner/orphans.js';

const fixture = (name: string): string => resolve('tests/cli/fixtures', `${name}.ts`);

test('a failed trial is retried with the same params, each retry linked to the trial it repeats', async () => {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, name: 'flaky', sampler: new RandomSampler({ seed: 5 }) });
  const def = await loadObjectiveModule(fixture('flaky'));
  const finished = await runTrials({
    study,
    storage,
    runner: new InProcessRunner(),
    target: { kind: 'objective', path: fixture('flaky') },
    space: def.space,
    nTrials: 6,
    budget: {},
    seed: 5,
    worker: 'test',
    codeVersion: null,
    retries: 2,
    retryBackoffMs: 1,
  });
  const failedFirst = finished.filter((t) => t.retryOf === null && t.state === 'FAIL');
  assert.ok(failedFirst.length > 0, 'seed 5 should give some x < 0.5');
  for (const f of failedFirst) {
    const retries = finished.filter((t) => t.retryOf !== null && t.params.x === f.params.x);
    assert.equal(retries.length, 2, `trial ${f.number} should be retried twice`);
    assert.ok(retries.every((r) => r.state === 'FAIL' && /flaky/.test(r.error?.message ?? '')));
    assert.ok(retries.some((r) => r.retryOf === f.number));
  }
  assert.equal(finished.filter((t) => t.retryOf === null).length, 6);
});

test('each trial gets an objective seed derived from the study seed and its number', async () => {
  assert.equal(trialSeed(1, 3), trialSeed(1, 3));
  assert.notEqual(trialSeed(1, 3), trialSeed(1, 4));
  assert.notEqual(trialSeed(1, 3), trialSeed(2, 3));
});

test('RUNNING trials of a dead local process are marked FAIL; live ones are left alone', async () => {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, name: 'o' });
  const dead = await storage.createTrial(study.studyId, { state: 'RUNNING', worker: `${hostname()}:2147483646` });
  const alive = await storage.createTrial(study.studyId, { state: 'RUNNING', worker: `${hostname()}:${process.pid}` });
  const reaped = await reapOrphans(storage, study.studyId, 60_000);
  assert.deepEqual(reaped.map((t) => t.number), [dead.number]);
  assert.equal((await storage.getTrial(dead.trialId)).state, 'FAIL');
  assert.match((await storage.getTrial(dead.trialId)).error?.message ?? '', /orphaned/);
  assert.equal((await storage.getTrial(alive.trialId)).state, 'RUNNING');
});
