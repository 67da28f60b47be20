import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';

// The in-memory store keeps the list getAllTrials returned and copies it with the changed trials in place, instead
// of snapshotting every trial per call (O(n) lookups per ask). A list once returned must never change.

test("getAllTrials returns the same list until a trial is written or created, and a list already returned never changes", async () => {
  const storage = new InMemoryStorage();
  const { studyId } = await storage.createStudy({ name: 's', direction: 'minimize' });
  const ids: number[] = [];
  for (let k = 0; k < 3; k++) ids.push((await storage.createTrial(studyId)).trialId);
  const a = await storage.getAllTrials(studyId);
  assert.equal(await storage.getAllTrials(studyId), a, 'nothing changed: the same list');
  assert.deepEqual(a.map((t) => [t.number, t.state]), [[0, 'RUNNING'], [1, 'RUNNING'], [2, 'RUNNING']]);

  await storage.setTrialParam(ids[1], 'x', float(0, 1), 0.25);
  await storage.setTrialIntermediateValue(ids[2], 0, 3);
  const b = await storage.getAllTrials(studyId);
  assert.notEqual(b, a);
  assert.deepEqual([b[1].params, [...b[2].intermediateValues]], [{ x: 0.25 }, [[0, 3]]]);
  assert.deepEqual([a[1].params, [...a[2].intermediateValues]], [{}, []], 'the list returned before is as it was');
  assert.equal(b[0], a[0], 'an unchanged trial is the same snapshot');

  await storage.finishTrial(ids[1], { state: 'COMPLETE', value: 1 });
  await storage.renameStudy('s', 't');
  await storage.recordHeartbeat(ids[0]);
  await storage.createTrial(studyId, { state: 'WAITING' });
  const c = await storage.getAllTrials(studyId);
  assert.deepEqual(c.map((t) => [t.number, t.state, t.heartbeat !== null]), [[0, 'RUNNING', true], [1, 'COMPLETE', false], [2, 'RUNNING', false], [3, 'WAITING', false]]);
  assert.deepEqual(b.map((t) => [t.number, t.state, t.heartbeat !== null]), [[0, 'RUNNING', false], [1, 'RUNNING', false], [2, 'RUNNING', false]]);
  assert.deepEqual((await storage.getAllTrials(studyId, { states: ['RUNNING'] })).map((t) => t.number), [0, 2]);
  const claimed = await storage.claimWaitingTrial(studyId, 'w');
  assert.equal(claimed?.number, 3);
  assert.deepEqual((await storage.getAllTrials(studyId)).map((t) => t.state), ['RUNNING', 'COMPLETE', 'RUNNING', 'RUNNING']);
});
