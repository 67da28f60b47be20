import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridSampler, RandomSampler } from '../../src/samplers/index.js';
import { categorical, int } from '../../src/space/distributions.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InMemoryStorage } from '../../src/storage/memory.js';
import type { TrialParamInput } from '../../src/storage/storage.js';
import { createStudy } from '../../src/study/create.js';
import { memoryStudy } from './helpers.js';

/** A real store whose param writes land a few event-loop turns late, as a SQLite write waiting out another process's lock does. */
class LateParamWrites extends InMemoryStorage {
  override async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    for (let i = 0; i < 3; i++) await nextTurn();
    return super.setTrialParams(trialId, params);
  }
}

const grid = { a: [0, 1, 2, 3], b: ['p', 'q', 'r'] };
const space = { a: int(0, 3), b: categorical(['p', 'q', 'r']) };
const key = (p: Record<string, unknown>) => `${String(p.a)}${String(p.b)}`;

test('study.optimize with a GridSampler stops at the grid size and visits no point twice', async () => {
  const study = await memoryStudy({ sampler: new GridSampler({ searchSpace: grid, seed: 1 }) });
  await study.optimize((t) => Number(t.suggest('a', space.a)) + (t.suggest('b', space.b) === 'p' ? 0 : 1), { nTrials: 5 });
  await study.optimize((t) => Number(t.suggest('a', space.a)) + (t.suggest('b', space.b) === 'p' ? 0 : 1), { nTrials: 40 });
  const trials = await study.getTrials();
  assert.equal(trials.length, 12);
  assert.equal(new Set(trials.map((t) => key(t.params))).size, 12);
  assert.equal(await study.isExhausted(), true);
  assert.deepEqual(await study.coverage(), { nPoints: 12, nFinished: 12, nRunning: 0 });
});

test('asks made back to back, with no trial told yet, each get their own grid point even when param writes are slow', async () => {
  const study = await createStudy({ storage: new LateParamWrites(), name: 's', sampler: new GridSampler({ searchSpace: grid, seed: 2 }) });
  const asked = [];
  for (let i = 0; i < 12; i++) {
    assert.equal(await study.isExhausted(), false);
    asked.push(await study.ask({ space }));
  }
  assert.equal(new Set(asked.map((t) => key(t.params))).size, 12);
  assert.equal(await study.isExhausted(), true, 'twelve RUNNING trials hold all twelve points');
});

test('a sampler that never runs out is never exhausted', async () => {
  const study = await memoryStudy({ sampler: new RandomSampler({ seed: 1 }) });
  await study.optimize((t) => Number(t.suggest('a', space.a)), { nTrials: 20 });
  assert.equal((await study.getTrials()).length, 20);
  assert.equal(await study.coverage(), null);
  assert.equal(await study.isExhausted(), false);
});
