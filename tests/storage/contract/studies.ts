import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith, withStorage, type StorageFactory } from './helpers.js';

export function studyContract(name: string, f: StorageFactory): void {
  test(`${name}: a study is created once per name and a second createStudy with that name throws STUDY_EXISTS`, () =>
    withStorage(f, async (s) => {
      const a = await s.createStudy({ name: 'opt', direction: 'maximize', userAttrs: { owner: 'ana' }, systemAttrs: { v: 1 } });
      assert.equal(a.name, 'opt');
      assert.equal(a.direction, 'maximize');
      assert.deepEqual(a.userAttrs, { owner: 'ana' });
      assert.deepEqual(a.systemAttrs, { v: 1 });
      await rejectsWith(s.createStudy({ name: 'opt', direction: 'minimize' }), 'STUDY_EXISTS', /opt/);
      assert.equal((await s.listStudies()).length, 1);
    }));

  test(`${name}: getStudy throws STUDY_NOT_FOUND where findStudy returns undefined`, () =>
    withStorage(f, async (s) => {
      assert.equal(await s.findStudy('nope'), undefined);
      await rejectsWith(s.getStudy('nope'), 'STUDY_NOT_FOUND', /nope/);
      await rejectsWith(s.createTrial(999), 'STUDY_NOT_FOUND');
      await rejectsWith(s.getAllTrials(999), 'STUDY_NOT_FOUND');
      await rejectsWith(s.deleteStudy('nope'), 'STUDY_NOT_FOUND');
      await rejectsWith(s.setStudyAttr(999, 'user', 'k', 1), 'STUDY_NOT_FOUND');
      const made = await s.createStudy({ name: 'yes', direction: 'minimize' });
      assert.deepEqual(await s.getStudy('yes'), made);
    }));

  test(`${name}: bad study input is refused with a StorageError naming the field`, () =>
    withStorage(f, async (s) => {
      await rejectsWith(s.createStudy({ name: '', direction: 'minimize' }), 'STORAGE', /name/);
      // @ts-expect-error an invalid direction, as a JavaScript caller could pass
      await rejectsWith(s.createStudy({ name: 'x', direction: 'up' }), 'STORAGE', /direction/);
      await rejectsWith(s.createStudy({ name: 'x', direction: 'minimize', userAttrs: { bad: NaN } }), 'STORAGE', /bad/);
    }));

  test(`${name}: study attributes are set, overwritten and kept apart by kind`, () =>
    withStorage(f, async (s) => {
      const st = await s.createStudy({ name: 'a', direction: 'minimize' });
      await s.setStudyAttr(st.studyId, 'user', 'k', { nested: [1, 'two', null] });
      await s.setStudyAttr(st.studyId, 'system', 'k', 'sys');
      await s.setStudyAttr(st.studyId, 'user', 'k2', true);
      await s.setStudyAttr(st.studyId, 'user', 'k2', false);
      const got = await s.getStudy('a');
      assert.deepEqual(got.userAttrs, { k: { nested: [1, 'two', null] }, k2: false });
      assert.deepEqual(got.systemAttrs, { k: 'sys' });
      await rejectsWith(s.setStudyAttr(st.studyId, 'user', 'inf', Infinity), 'STORAGE', /inf/);
    }));

  test(`${name}: listStudies counts trials per state and names the best COMPLETE trial for the direction`, () =>
    withStorage(f, async (s) => {
      const min = await s.createStudy({ name: 'min', direction: 'minimize' });
      const max = await s.createStudy({ name: 'max', direction: 'maximize' });
      for (const [study, values] of [[min, [3, -Infinity, 1]], [max, [3, 7, Infinity]]] as const) {
        for (const v of values) await s.finishTrial((await s.createTrial(study.studyId)).trialId, { state: 'COMPLETE', value: v });
        await s.finishTrial((await s.createTrial(study.studyId)).trialId, { state: 'FAIL' });
        await s.createTrial(study.studyId);
        await s.createTrial(study.studyId, { state: 'WAITING' });
      }
      const empty = await s.createStudy({ name: 'empty', direction: 'minimize' });
      const [a, b, c] = await s.listStudies();
      assert.deepEqual([a.name, b.name, c.name], ['min', 'max', 'empty']);
      assert.deepEqual(a.counts, { WAITING: 1, RUNNING: 1, COMPLETE: 3, PRUNED: 0, FAIL: 1 });
      assert.equal(a.nTrials, 6);
      assert.equal(a.bestValue, -Infinity);
      assert.equal(a.bestTrialNumber, 1);
      assert.equal(b.bestValue, Infinity);
      assert.equal(b.bestTrialNumber, 2);
      assert.equal(c.studyId, empty.studyId);
      assert.equal(c.bestValue, null);
      assert.equal(c.bestTrialNumber, null);
    }));

  test(`${name}: deleteStudy removes the study and its trials, and the name can be used again`, () =>
    withStorage(f, async (s) => {
      const st = await s.createStudy({ name: 'gone', direction: 'minimize' });
      const t = await s.createTrial(st.studyId);
      await s.appendMetrics({ trialId: t.trialId }, [{ name: 'loss', step: 0, value: 1 }]);
      await s.deleteStudy('gone');
      assert.equal(await s.findStudy('gone'), undefined);
      await rejectsWith(s.getTrial(t.trialId), 'TRIAL_NOT_FOUND');
      await rejectsWith(s.getMetrics({ trialId: t.trialId }), 'TRIAL_NOT_FOUND');
      const again = await s.createStudy({ name: 'gone', direction: 'maximize' });
      assert.notEqual(again.studyId, st.studyId);
      assert.deepEqual(await s.getAllTrials(again.studyId), []);
    }));
}
