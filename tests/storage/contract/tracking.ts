import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith, studyWithTrial, withStorage, type StorageFactory } from './helpers.js';

export function trackingContract(name: string, f: StorageFactory): void {
  test(`${name}: named metric series are appended in one call and read back by name, then step`, () => {
    const now = 5_000_000;
    return withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      const owner = { trialId: trial.trialId };
      await s.appendMetrics(owner, [
        { name: 'val_loss', step: 1, value: 0.5, timestamp: 100 },
        { name: 'train_loss', step: 0, value: 0.9, timestamp: 101 },
        { name: 'val_loss', step: 0, value: 0.7, timestamp: 102 },
      ]);
      await s.appendMetrics(owner, [{ name: 'lr', step: 0, value: 1e-3 }]);
      const all = await s.getMetrics(owner);
      assert.deepEqual(all.map((m) => [m.name, m.step, m.value]), [['lr', 0, 1e-3], ['train_loss', 0, 0.9], ['val_loss', 0, 0.7], ['val_loss', 1, 0.5]]);
      assert.equal(all[0].timestamp, now, 'a missing timestamp is filled with the time of the append');
      assert.deepEqual(await s.getMetrics(owner, 'val_loss'), [
        { name: 'val_loss', step: 0, value: 0.7, timestamp: 102 },
        { name: 'val_loss', step: 1, value: 0.5, timestamp: 100 },
      ]);
      await rejectsWith(s.appendMetrics(owner, [{ name: '', step: 0, value: 1 }]), 'STORAGE', /name/);
      await rejectsWith(s.appendMetrics(owner, [{ name: 'ok', step: 0, value: 1 }, { name: 'x', step: -2, value: 1 }]), 'STORAGE', /step/);
      assert.equal((await s.getMetrics(owner)).length, 4, 'a batch with one bad point stores none of it');
    }, { clock: () => now });
  });

  test(`${name}: log lines are kept in order with their level, time and data`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      const lines = [
        { level: 'info' as const, message: 'epoch 1', timestamp: 1000, data: { loss: 0.5, tags: ['a'] } },
        { level: 'error' as const, message: 'nan seen', timestamp: 1001 },
      ];
      await s.appendLogs({ trialId: trial.trialId }, lines);
      assert.deepEqual(await s.getLogs({ trialId: trial.trialId }), lines);
      // @ts-expect-error an invalid level, as a JavaScript caller could pass
      await rejectsWith(s.appendLogs({ trialId: trial.trialId }, [{ level: 'loud', message: 'x', timestamp: 1 }]), 'STORAGE', /level/);
      await rejectsWith(s.getLogs({ trialId: 999999 }), 'TRIAL_NOT_FOUND');
    }));

  test(`${name}: a full-training run is created RUNNING, records metrics and logs, and is finished once`, () =>
    withStorage(f, async (s) => {
      const run = await s.createRun({ studyName: 'opt', subsystem: 'optimizer', config: { epochs: 20, lr: 1e-4 }, codeVersion: '0.1.0' });
      assert.deepEqual([run.state, run.studyName, run.trialNumber, run.subsystem, run.result, run.datetimeComplete], ['RUNNING', 'opt', null, 'optimizer', null, null]);
      assert.deepEqual(run.config, { epochs: 20, lr: 1e-4 });
      const owner = { runId: run.runId };
      await s.appendMetrics(owner, [{ name: 'val_loss', step: 0, value: 0.4, timestamp: 7 }]);
      await s.appendLogs(owner, [{ level: 'info', message: 'start', timestamp: 7 }]);
      const done = await s.finishRun(run.runId, { state: 'COMPLETE', result: { r2: [0.9, 0.8] } });
      assert.deepEqual([done.state, done.result], ['COMPLETE', { r2: [0.9, 0.8] }]);
      assert.ok(done.datetimeComplete instanceof Date);
      assert.deepEqual(await s.getRun(run.runId), done);
      assert.deepEqual(await s.getMetrics(owner), [{ name: 'val_loss', step: 0, value: 0.4, timestamp: 7 }]);
      assert.deepEqual(await s.getLogs(owner), [{ level: 'info', message: 'start', timestamp: 7 }]);
      await rejectsWith(s.finishRun(run.runId, { state: 'FAIL' }), 'STORAGE', /already COMPLETE/);
      await rejectsWith(s.appendMetrics(owner, [{ name: 'x', step: 1, value: 1 }]), 'STORAGE', /already COMPLETE/);
      const failed = await s.finishRun((await s.createRun({ studyName: null, subsystem: 'zk', config: {}, codeVersion: null })).runId, {
        state: 'FAIL', error: { message: 'oom', stack: null, code: 'WORKER' },
      });
      assert.deepEqual(failed.error, { message: 'oom', stack: null, code: 'WORKER' });
      assert.deepEqual((await s.listRuns()).map((r) => r.runId), [run.runId, failed.runId]);
      await rejectsWith(s.getRun(424242), 'STORAGE', /424242/);
      await rejectsWith(s.getMetrics({ runId: 424242 }), 'STORAGE', /424242/);
    }));

  test(`${name}: a run records the study trial it trained, and refuses a trial number that is not one or names no study`, () =>
    withStorage(f, async (s) => {
      const run = await s.createRun({ studyName: 'opt', trialNumber: 17, subsystem: 'optimizer', config: { lr: 1e-3 }, codeVersion: null });
      assert.equal(run.trialNumber, 17);
      const done = await s.finishRun(run.runId, { state: 'COMPLETE', result: { value: 1 } });
      assert.equal(done.trialNumber, 17);
      assert.equal((await s.getRun(run.runId)).trialNumber, 17);
      assert.deepEqual((await s.listRuns()).map((r) => r.trialNumber), [17]);
      await rejectsWith(s.createRun({ studyName: 'opt', trialNumber: -1, subsystem: 'optimizer', config: {}, codeVersion: null }), 'STORAGE', /trialNumber must be a trial's number/);
      await rejectsWith(s.createRun({ studyName: 'opt', trialNumber: 1.5, subsystem: 'optimizer', config: {}, codeVersion: null }), 'STORAGE', /trialNumber/);
      await rejectsWith(s.createRun({ studyName: null, trialNumber: 3, subsystem: 'optimizer', config: {}, codeVersion: null }), 'STORAGE', /needs the studyName/);
      assert.equal((await s.listRuns()).length, 1, 'a refused run stores nothing');
    }));

  test(`${name}: metrics and logs of trials and runs are kept apart`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      const run = await s.createRun({ studyName: null, subsystem: 'cllm', config: {}, codeVersion: null });
      await s.appendMetrics({ trialId: trial.trialId }, [{ name: 'loss', step: 0, value: 1, timestamp: 1 }]);
      await s.appendMetrics({ runId: run.runId }, [{ name: 'loss', step: 0, value: 2, timestamp: 1 }]);
      assert.deepEqual((await s.getMetrics({ trialId: trial.trialId })).map((m) => m.value), [1]);
      assert.deepEqual((await s.getMetrics({ runId: run.runId })).map((m) => m.value), [2]);
    }));
}
