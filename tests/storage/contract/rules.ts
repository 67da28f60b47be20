import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Storage } from '../../../src/storage/storage.js';
import { layers, rejectsWith, studyWithTrial, withStorage, type StorageFactory } from './helpers.js';

/** Every write a finished trial must refuse. */
const WRITES: ReadonlyArray<[string, (s: Storage, trialId: number) => Promise<unknown>]> = [
  ['setTrialParam', (s, id) => s.setTrialParam(id, 'layers', layers, 2)],
  ['setTrialIntermediateValue', (s, id) => s.setTrialIntermediateValue(id, 9, 1)],
  ['setTrialAttr', (s, id) => s.setTrialAttr(id, 'user', 'k', 1)],
  ['recordHeartbeat', (s, id) => s.recordHeartbeat(id)],
  ['finishTrial', (s, id) => s.finishTrial(id, { state: 'COMPLETE', value: 1 })],
  ['appendMetrics', (s, id) => s.appendMetrics({ trialId: id }, [{ name: 'loss', step: 9, value: 1 }])],
  ['appendLogs', (s, id) => s.appendLogs({ trialId: id }, [{ level: 'info', message: 'late', timestamp: 1 }])],
];

export function rulesContract(name: string, f: StorageFactory): void {
  for (const state of ['COMPLETE', 'PRUNED', 'FAIL'] as const) {
    test(`${name}: every write to a ${state} trial throws TRIAL_FINISHED and changes nothing`, () =>
      withStorage(f, async (s) => {
        const { trial } = await studyWithTrial(s);
        await s.setTrialIntermediateValue(trial.trialId, 0, 0.5);
        const done = await s.finishTrial(trial.trialId, state === 'COMPLETE' ? { state, value: 0.5 } : { state });
        for (const [what, write] of WRITES) {
          await assert.doesNotReject(rejectsWith(write(s, trial.trialId), 'TRIAL_FINISHED', new RegExp(state)), what);
        }
        assert.deepEqual(await s.getTrial(trial.trialId), done);
        assert.deepEqual(await s.getMetrics({ trialId: trial.trialId }), []);
        assert.deepEqual(await s.getLogs({ trialId: trial.trialId }), []);
      }));
  }

  test(`${name}: ±Infinity round-trips exactly as objective, intermediate and metric values`, () =>
    withStorage(f, async (s) => {
      const { study, trial } = await studyWithTrial(s);
      await s.setTrialIntermediateValue(trial.trialId, 0, Infinity);
      await s.setTrialIntermediateValue(trial.trialId, 1, -Infinity);
      await s.setTrialIntermediateValue(trial.trialId, 2, -0.125);
      await s.appendMetrics({ trialId: trial.trialId }, [
        { name: 'loss', step: 0, value: Infinity, timestamp: 5 },
        { name: 'loss', step: 1, value: -Infinity, timestamp: 6 },
      ]);
      await s.finishTrial(trial.trialId, { state: 'COMPLETE', value: -Infinity });
      const other = await s.createTrial(study.studyId);
      await s.finishTrial(other.trialId, { state: 'COMPLETE', value: Infinity });
      const again = f.reopen ? await f.reopen(s) : s;
      try {
        const [a, b] = await again.getAllTrials(study.studyId);
        assert.equal(a.value, -Infinity);
        assert.equal(b.value, Infinity);
        assert.deepEqual([...a.intermediateValues], [[0, Infinity], [1, -Infinity], [2, -0.125]]);
        assert.deepEqual(
          (await again.getMetrics({ trialId: trial.trialId })).map((m) => m.value),
          [Infinity, -Infinity],
        );
      } finally {
        if (again !== s) await again.close();
      }
    }));

  test(`${name}: NaN is refused with a StorageError wherever a value is stored`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      await rejectsWith(s.setTrialIntermediateValue(trial.trialId, 0, NaN), 'STORAGE', /NaN/);
      await rejectsWith(s.appendMetrics({ trialId: trial.trialId }, [{ name: 'loss', step: 0, value: NaN }]), 'STORAGE', /NaN/);
      await rejectsWith(s.finishTrial(trial.trialId, { state: 'COMPLETE', value: NaN }), 'STORAGE', /NaN/);
      await rejectsWith(s.finishTrial(trial.trialId, { state: 'PRUNED', value: NaN }), 'STORAGE', /NaN/);
      await rejectsWith(s.setTrialIntermediateValue(trial.trialId, -1, 1), 'STORAGE', /step/);
      await rejectsWith(s.setTrialIntermediateValue(trial.trialId, 1.5, 1), 'STORAGE', /step/);
      const after = await s.getTrial(trial.trialId);
      assert.equal(after.state, 'RUNNING');
      assert.equal(after.intermediateValues.size, 0);
      assert.deepEqual(await s.getMetrics({ trialId: trial.trialId }), []);
    }));

  test(`${name}: returned trials are frozen snapshots that later writes do not change`, () =>
    withStorage(f, async (s) => {
      const { study, trial } = await studyWithTrial(s);
      await s.setTrialAttr(trial.trialId, 'user', 'tags', ['a', { b: 1 }]);
      const before = await s.getTrial(trial.trialId);
      const list = await s.getAllTrials(study.studyId);
      assert.ok(Object.isFrozen(before) && Object.isFrozen(before.params) && Object.isFrozen(before.userAttrs));
      assert.throws(() => {
        (before as { state: string }).state = 'COMPLETE';
      }, TypeError);
      assert.throws(() => {
        ((before.userAttrs.tags as unknown[])[1] as { b: number }).b = 2;
      }, TypeError);
      await s.setTrialParam(trial.trialId, 'layers', layers, 3);
      await s.setTrialIntermediateValue(trial.trialId, 0, 1);
      await s.setTrialAttr(trial.trialId, 'user', 'tags', 'changed');
      await s.finishTrial(trial.trialId, { state: 'COMPLETE', value: 1 });
      for (const old of [before, list[0]]) {
        assert.equal(old.state, 'RUNNING');
        assert.deepEqual(old.params, {});
        assert.equal(old.intermediateValues.size, 0);
        assert.deepEqual(old.userAttrs, { tags: ['a', { b: 1 }] });
      }
    }));

  test(`${name}: setTrialAttrs, where a store has it, writes several attributes at once, the last value of a key winning, and none when one is invalid`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      if (s.setTrialAttrs === undefined) return; // optional: Trial falls back to setTrialAttr one by one
      await rejectsWith(s.setTrialAttrs(trial.trialId, [{ kind: 'user', key: 'ok', value: 1 }, { kind: 'user', key: 'bad', value: NaN }]), 'STORAGE', /bad/);
      assert.deepEqual((await s.getTrial(trial.trialId)).userAttrs, {});
      await s.setTrialAttrs(trial.trialId, [
        { kind: 'user', key: 'k', value: 1 }, { kind: 'system', key: 'k', value: 's' }, { kind: 'user', key: 'k', value: 2 },
      ]);
      const t = await s.getTrial(trial.trialId);
      assert.deepEqual([t.userAttrs, t.systemAttrs], [{ k: 2 }, { k: 's' }]);
      await s.finishTrial(trial.trialId, { state: 'FAIL' });
      await rejectsWith(s.setTrialAttrs(trial.trialId, [{ kind: 'user', key: 'late', value: 1 }]), 'TRIAL_FINISHED');
    }));

  test(`${name}: trial attributes are stored per kind and overwritten by key`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      await s.setTrialAttr(trial.trialId, 'user', 'k', 1);
      await s.setTrialAttr(trial.trialId, 'system', 'k', 'sys');
      await s.setTrialAttr(trial.trialId, 'user', 'k', { v: [true, null] });
      const t = await s.getTrial(trial.trialId);
      assert.deepEqual([t.userAttrs, t.systemAttrs], [{ k: { v: [true, null] } }, { k: 'sys' }]);
      await rejectsWith(s.setTrialAttr(trial.trialId, 'user', 'bad', [1, -Infinity]), 'STORAGE', /bad/);
    }));

  if (f.reopen) {
    const reopen = f.reopen;
    test(`${name}: everything written is there when the store is opened again`, () =>
      withStorage(f, async (s) => {
        const { study, trial } = await studyWithTrial(s);
        await s.setTrialParam(trial.trialId, 'layers', layers, 5);
        await s.setTrialIntermediateValue(trial.trialId, 0, 0.3);
        await s.setTrialAttr(trial.trialId, 'system', 'host', 'h');
        await s.recordHeartbeat(trial.trialId);
        await s.appendLogs({ trialId: trial.trialId }, [{ level: 'warn', message: 'slow', timestamp: 10, data: { epoch: 1 } }]);
        const expected = await s.finishTrial(trial.trialId, { state: 'COMPLETE', value: 0.3 });
        const other = await reopen(s);
        try {
          assert.deepEqual(await other.getTrial(trial.trialId), expected);
          assert.deepEqual(await other.getAllTrials(study.studyId), [expected]);
          assert.deepEqual(await other.getLogs({ trialId: trial.trialId }), [{ level: 'warn', message: 'slow', timestamp: 10, data: { epoch: 1 } }]);
        } finally {
          await other.close();
        }
      }));
  }
}
