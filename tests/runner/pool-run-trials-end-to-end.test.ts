import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { runTrials } from '../../src/runner/run-trials.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { createStudy } from '../../src/study/create.js';
import { fixturePath } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 2 });
after(() => runner.close());

test('a study of 6 trials on 2 workers stores every trial, its streamed events and its crash, and finishes', async () => {
  const storage = new InMemoryStorage();
  const study = await createStudy({ name: 'pool-e2e', storage, sampler: new RandomSampler({ seed: 11 }), direction: 'minimize' });
  const finished = await runTrials({
    study,
    storage,
    runner,
    target: { kind: 'objective', path: fixturePath('crashes-every-third') },
    space: { x: float(0, 1) },
    nTrials: 6,
    budget: { epochs: 3, batchCap: null },
    seed: 11,
    worker: 'test',
    codeVersion: null,
  });
  assert.equal(finished.length, 6);
  const stored = await storage.getAllTrials(study.studyId);
  assert.deepEqual(
    stored.map((t) => [t.number, t.state]),
    [0, 1, 2, 3, 4, 5].map((n) => [n, n % 3 === 1 ? 'FAIL' : 'COMPLETE']),
  );
  for (const t of stored) {
    const logs = await storage.getLogs({ trialId: t.trialId });
    assert.deepEqual(
      logs.map((l) => [l.message, l.data]),
      [['trial started', { trial: t.number }]],
    );
    if (t.state === 'FAIL') {
      assert.equal(t.error?.code, 'WORKER');
      assert.match(t.error?.message ?? '', /^worker crashed: .*code: 3/);
      continue;
    }
    const x = t.params['x'];
    assert.equal(typeof x, 'number');
    const value = ((x as number) - 0.3) ** 2;
    assert.equal(t.value, value);
    assert.deepEqual([...t.intermediateValues], [0, 1, 2].map((e) => [e, value + 1 / (e + 1)]));
    const metrics = await storage.getMetrics({ trialId: t.trialId }, 'val_loss');
    assert.deepEqual(
      metrics.map((m) => [m.step, m.value]),
      [0, 1, 2].map((e) => [e, value + 1 / (e + 1)]),
    );
    assert.equal(t.userAttrs['epochs_run'], 3);
  }
});
