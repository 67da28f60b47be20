import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StorageError } from '../../src/errors.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { createStudy } from '../../src/study/create.js';
import { getBestTrials, getRunDetail, getTrialDetail, listRuns, listStudies, listTrials } from '../../src/study/queries.js';

async function storeWithTrials(): Promise<InMemoryStorage> {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, name: 'q', sampler: new RandomSampler({ seed: 1 }), direction: 'maximize' });
  const values = [0.3, 0.9, null, 0.5, 0.7];
  for (const v of values) {
    const t = await study.ask();
    t.suggestFloat('x', 0, 1);
    await study.tell(t, v === null ? { state: 'FAIL', error: new Error('boom') } : v);
  }
  return storage;
}

test('listTrials filters by state, orders best first and pages, reporting the total', async () => {
  const storage = await storeWithTrials();
  const all = await listTrials(storage, 'q');
  assert.deepEqual(all.trials.map((t) => t.number), [0, 1, 2, 3, 4]);
  const best = await listTrials(storage, 'q', { order: 'best' });
  assert.deepEqual(best.trials.map((t) => t.number), [1, 4, 3, 0, 2], 'maximize: highest first, the failed trial last');
  const page = await listTrials(storage, 'q', { order: 'best', offset: 1, limit: 2 });
  assert.deepEqual([page.total, page.offset, page.trials.map((t) => t.number)], [5, 1, [4, 3]]);
  const failed = await listTrials(storage, 'q', { states: ['FAIL'] });
  assert.deepEqual([failed.total, failed.trials.map((t) => t.number)], [1, [2]]);
  await assert.rejects(listTrials(storage, 'q', { limit: -1 }), StorageError);
  await assert.rejects(listTrials(storage, 'nope'), (e: unknown) => e instanceof StorageError && e.code === 'STUDY_NOT_FOUND');
});

test('getBestTrials ranks COMPLETE trials and is TRIAL_NOT_FOUND for a study with none', async () => {
  const storage = await storeWithTrials();
  assert.deepEqual((await getBestTrials(storage, 'q', 2)).trials.map((t) => t.value), [0.9, 0.7]);
  await storage.createStudy({ name: 'empty', direction: 'minimize' });
  await assert.rejects(getBestTrials(storage, 'empty'), (e: unknown) => e instanceof StorageError && e.code === 'TRIAL_NOT_FOUND');
  const [summary] = (await listStudies(storage)).filter((s) => s.name === 'q');
  assert.deepEqual([summary.bestValue, summary.counts.FAIL], [0.9, 1]);
});

test('a trial and a run come back with their metric series grouped by name and their logs', async () => {
  const storage = await storeWithTrials();
  // Metrics arrive while a trial runs (a finished trial is immutable).
  const { trialId, number } = await storage.createTrial((await storage.getStudy('q')).studyId);
  await storage.appendMetrics({ trialId }, [
    { name: 'val_loss', step: 2, value: 0.4 },
    { name: 'val_loss', step: 1, value: 0.6 },
    { name: 'lr', step: 1, value: 1e-3 },
  ]);
  await storage.appendLogs({ trialId }, [{ level: 'info', message: 'hello', timestamp: 1 }]);
  const detail = await getTrialDetail(storage, 'q', number);
  assert.deepEqual(detail.series['val_loss'].map((p) => [p.step, p.value]), [[1, 0.6], [2, 0.4]]);
  assert.deepEqual(Object.keys(detail.series).sort(), ['lr', 'val_loss']);
  assert.equal(detail.logs[0].message, 'hello');
  await assert.rejects(getTrialDetail(storage, 'q', 99), (e: unknown) => e instanceof StorageError && e.code === 'TRIAL_NOT_FOUND');

  const run = await storage.createRun({ studyName: 'q', subsystem: 'optimizer', config: { epochs: 1 }, codeVersion: null });
  await storage.appendMetrics({ runId: run.runId }, [{ name: 'train_loss', step: 1, value: 2 }]);
  const [listed] = await listRuns(storage, { withSeries: true });
  assert.deepEqual(listed.series['train_loss'].map((p) => p.value), [2]);
  assert.equal((await getRunDetail(storage, run.runId)).run.runId, run.runId);
});
