import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categorical, float, int, type Distribution } from '../../../src/space/distributions.js';
import type { FrozenTrial } from '../../../src/core/frozen.js';
import type { Storage } from '../../../src/storage/storage.js';
import { withStorage, type StorageFactory } from './helpers.js';

/** 10,000 choices of every kind a categorical may hold, as in the issue (2.4 MB after 30 trials when copied per trial). */
const HUGE = categorical([
  ...Array.from({ length: 9990 }, (_, i) => `v${i}`),
  0, -7, 0.25, 1e300, true, false, null, '', 'ünï "q" \\ ✓', 'v0 ',
]);

const SPACE: Readonly<Record<string, Distribution>> = {
  huge: HUGE,
  lr: float(1e-5, 1e-1, { log: true }),
  q: float(0, 1, { step: 0.25 }),
  n: int(2, 64, { log: true }),
  k: int(0, 100, { step: 5 }),
  one: categorical(['only']),
};

const internals = (i: number): Record<string, number> => ({ huge: (i * 997) % 10000, lr: 1e-3, q: 0.5, n: 8, k: 35, one: 0 });

/** What a trial written with `SPACE` at index i must read back as. */
function expectTrial(t: FrozenTrial, i: number): void {
  assert.deepStrictEqual(t.distributions, SPACE, `distributions of trial ${t.number}`);
  const huge = HUGE.choices[internals(i).huge];
  assert.deepStrictEqual(t.params, { huge, lr: 1e-3, q: 0.5, n: 8, k: 35, one: 'only' }, `params of trial ${t.number}`);
}

/** Writes trial i three ways in turn: all params in the template, one setTrialParam each, one setTrialParams. */
async function writeTrial(s: Storage, studyId: number, i: number): Promise<FrozenTrial> {
  const entries = Object.entries(SPACE);
  if (i % 3 === 0) {
    const params = Object.fromEntries(entries.map(([name, distribution]) => [name, { distribution, internal: internals(i)[name] }]));
    return s.createTrial(studyId, { params });
  }
  const t = await s.createTrial(studyId);
  if (i % 3 === 1) for (const [name, d] of entries) await s.setTrialParam(t.trialId, name, d, internals(i)[name]);
  else await s.setTrialParams(t.trialId, entries.map(([name, distribution]) => ({ name, distribution, internal: internals(i)[name] })));
  return t;
}

export function distributionContract(name: string, f: StorageFactory): void {
  test(`${name}: a trial's distributions and params read back exactly, a 10,000-choice categorical included`, () =>
    withStorage(f, async (s) => {
      const a = await s.createStudy({ name: 'a', direction: 'minimize' });
      const b = await s.createStudy({ name: 'b', direction: 'maximize' });
      for (let i = 0; i < 9; i++) {
        const t = await writeTrial(s, i % 2 === 0 ? a.studyId : b.studyId, i);
        expectTrial(await s.getTrial(t.trialId), i);
        if (i % 4 !== 0) expectTrial(await s.finishTrial(t.trialId, { state: 'COMPLETE', value: i }), i);
      }
      const check = async (store: Storage) => {
        for (const [study, offset] of [[a, 0], [b, 1]] as const) {
          const all = await store.getAllTrials(study.studyId);
          assert.equal(all.length, offset === 0 ? 5 : 4);
          all.forEach((t, j) => expectTrial(t, 2 * j + offset));
          const last = all[all.length - 1];
          expectTrial((await store.findTrialByNumber(study.studyId, last.number)) as FrozenTrial, 2 * last.number + offset);
        }
      };
      await check(s);
      if (f.reopen) {
        const again = await f.reopen(s);
        try {
          await check(again);
        } finally {
          await again.close();
        }
      }
    }));

  test(`${name}: distributions differing only in key order read back equal, and a caller's later change to one is not stored`, () =>
    withStorage(f, async (s) => {
      const study = await s.createStudy({ name: 'a', direction: 'minimize' });
      const mutable = { choices: ['x', 'y'], kind: 'categorical' } as { kind: 'categorical'; choices: string[] };
      const first = await s.createTrial(study.studyId, { params: { c: { distribution: mutable, internal: 1 } } });
      const second = await s.createTrial(study.studyId);
      await s.setTrialParam(second.trialId, 'c', categorical(['x', 'y']), 0);
      mutable.choices.push('z');
      const third = await s.createTrial(study.studyId);
      await s.setTrialParam(third.trialId, 'c', mutable, 2);
      const rangeA = { high: 2, low: 1, kind: 'float', step: null, log: false } as unknown as Distribution;
      await s.setTrialParam(third.trialId, 'r', rangeA, 1.5);
      const [t0, t1, t2] = await s.getAllTrials(study.studyId);
      assert.deepStrictEqual([t0.params, t1.params, t2.params], [{ c: 'y' }, { c: 'x' }, { c: 'z', r: 1.5 }]);
      assert.deepStrictEqual(t0.distributions.c, categorical(['x', 'y']));
      assert.deepStrictEqual(t1.distributions.c, categorical(['x', 'y']));
      assert.deepStrictEqual(t2.distributions, { c: categorical(['x', 'y', 'z']), r: float(1, 2) });
      assert.ok(Object.isFrozen(t2.distributions.c) && Object.isFrozen((t2.distributions.c as { choices: unknown }).choices));
      assert.deepStrictEqual((await s.getTrial(first.trialId)).distributions.c, categorical(['x', 'y']));
    }));

  test(`${name}: deleting a study leaves the distributions another study's trials share with it`, () =>
    withStorage(f, async (s) => {
      const keep = await s.createStudy({ name: 'keep', direction: 'minimize' });
      const drop = await s.createStudy({ name: 'drop', direction: 'minimize' });
      await writeTrial(s, drop.studyId, 0);
      await writeTrial(s, keep.studyId, 3);
      await s.deleteStudy('drop');
      await writeTrial(s, keep.studyId, 6);
      const check = async (store: Storage) => {
        const trials = await store.getAllTrials((await store.getStudy('keep')).studyId);
        trials.forEach((t, j) => expectTrial(t, 3 + 3 * j));
      };
      await check(s);
      if (f.reopen) {
        const again = await f.reopen(s);
        try {
          await check(again);
        } finally {
          await again.close();
        }
      }
    }));
}
