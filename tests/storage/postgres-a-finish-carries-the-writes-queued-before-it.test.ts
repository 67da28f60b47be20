import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float } from '../../src/space/distributions.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { StorageError } from '../../src/errors.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { createStudy } from '../../src/study/create.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

test('suggestions and attributes set just before a tell are written with the finish: one statement, the trial stored whole', async () => {
  const storage = await PostgresStorage.open(db.freshStoreUrl());
  try {
    const study = await createStudy({ storage, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    let finishes = 0;
    let separateWrites = 0;
    const finishWith = storage.finishTrialWith.bind(storage);
    const setWrites = storage.setTrialWrites.bind(storage);
    storage.finishTrialWith = (id, f, w) => ((finishes += w.params.length > 0 ? 1 : 0), finishWith(id, f, w));
    storage.setTrialWrites = (id, w) => ((separateWrites += 1), setWrites(id, w));
    const t = await study.ask();
    const x = t.suggestFloat('x', 0, 1);
    t.setUserAttr('note', 'kept');
    const done = await study.tell(t, x);
    assert.deepEqual([finishes, separateWrites], [1, 0], 'the writes went with the finish, not on their own');
    const stored = await storage.getTrial(done.trialId);
    assert.deepEqual([stored.state, stored.value, stored.params, stored.userAttrs], ['COMPLETE', x, { x }, { note: 'kept' }]);
  } finally {
    await storage.close();
  }
});

test('a finish whose params the trial already has is refused whole: PARAM_CONFLICT, and the trial stays RUNNING', async () => {
  const storage = await PostgresStorage.open(db.freshStoreUrl());
  try {
    const { studyId } = await storage.createStudy({ name: 's', direction: 'minimize' });
    const t = await storage.createTrial(studyId);
    const x = { name: 'x', distribution: float(0, 1), internal: 0.5 };
    await storage.setTrialParams(t.trialId, [x]);
    const refused = await storage.finishTrialWith(t.trialId, { state: 'COMPLETE', value: 1 }, { params: [x], attrs: [{ kind: 'user', key: 'a', value: 1 }] }).then(
      () => assert.fail('the finish was not refused'),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof StorageError && refused.code === 'PARAM_CONFLICT', String(refused));
    assert.match((refused as Error).message, /trial 0 already has a value for parameter "x"/);
    const stored = await storage.getTrial(t.trialId);
    assert.deepEqual([stored.state, stored.userAttrs], ['RUNNING', {}], 'nothing of the refused call was written');
  } finally {
    await storage.close();
  }
});
