import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layers, rejectsWith, withStorage, type StorageFactory } from './helpers.js';

/** `renameStudy`: a new name for the same study, its trials and what they recorded. */
export function renameContract(name: string, f: StorageFactory): void {
  test(`${name}: renameStudy keeps the study's id, attributes and trials under the new name and frees the old one`, () =>
    withStorage(f, async (s) => {
      const st = await s.createStudy({ name: 'old', direction: 'maximize', userAttrs: { owner: 'ana' }, systemAttrs: { seed: 7 } });
      const t = await s.createTrial(st.studyId, { userAttrs: { note: 'x' } });
      await s.setTrialParam(t.trialId, 'layers', layers, 3);
      await s.setTrialIntermediateValue(t.trialId, 0, 0.25);
      await s.appendMetrics({ trialId: t.trialId }, [{ name: 'loss', step: 0, value: 1, timestamp: 5 }]);
      const done = await s.finishTrial(t.trialId, { state: 'COMPLETE', value: 0.5 });
      const renamed = await s.renameStudy('old', 'new');
      assert.deepEqual(renamed, { ...st, name: 'new' });
      assert.equal(await s.findStudy('old'), undefined);
      assert.deepEqual(await s.getStudy('new'), renamed);
      assert.deepEqual(await s.getAllTrials(renamed.studyId), [done]);
      assert.deepEqual(await s.getMetrics({ trialId: t.trialId }), [{ name: 'loss', step: 0, value: 1, timestamp: 5 }]);
      const [summary] = await s.listStudies();
      assert.equal(summary.name, 'new');
      assert.equal(summary.bestValue, 0.5);
      // The study goes on under its new name, and the old name can start a different study.
      assert.equal((await s.createTrial(renamed.studyId)).number, 1);
      const fresh = await s.createStudy({ name: 'old', direction: 'minimize' });
      assert.notEqual(fresh.studyId, renamed.studyId);
      assert.deepEqual(await s.getAllTrials(fresh.studyId), []);
    }));

  test(`${name}: renameStudy throws STUDY_NOT_FOUND for an unknown study and STUDY_EXISTS for a taken name, changing nothing`, () =>
    withStorage(f, async (s) => {
      const a = await s.createStudy({ name: 'a', direction: 'minimize' });
      const b = await s.createStudy({ name: 'b', direction: 'minimize' });
      await rejectsWith(s.renameStudy('nope', 'c'), 'STUDY_NOT_FOUND', /nope/);
      await rejectsWith(s.renameStudy('a', 'b'), 'STUDY_EXISTS', /"b"/);
      await rejectsWith(s.renameStudy('a', 'a'), 'STUDY_EXISTS', /"a"/);
      await rejectsWith(s.renameStudy('a', ''), 'STORAGE', /name/);
      assert.deepEqual(await s.getStudy('a'), a);
      assert.deepEqual(await s.getStudy('b'), b);
      assert.deepEqual((await s.listStudies()).map((x) => x.name), ['a', 'b']);
    }));

  if (f.reopen) {
    const reopen = f.reopen;
    test(`${name}: a rename is durable and seen by another connection to the same store`, () =>
      withStorage(f, async (s) => {
        const st = await s.createStudy({ name: 'before', direction: 'minimize' });
        const other = await reopen(s);
        try {
          assert.equal((await other.getStudy('before')).studyId, st.studyId);
          await s.renameStudy('before', 'after');
          assert.equal(await other.findStudy('before'), undefined);
          assert.equal((await other.getStudy('after')).studyId, st.studyId);
        } finally {
          await other.close();
        }
      }));
  }
}
