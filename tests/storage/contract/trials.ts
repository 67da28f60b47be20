import assert from 'node:assert/strict';
import { test } from 'node:test';
import { act, layers, lr, rejectsWith, stepped, studyWithTrial, withStorage, type StorageFactory } from './helpers.js';

export function trialContract(name: string, f: StorageFactory): void {
  test(`${name}: trial numbers run 0, 1, 2, … per study without gaps, even when created all at once`, () =>
    withStorage(f, async (s) => {
      const a = await s.createStudy({ name: 'a', direction: 'minimize' });
      const b = await s.createStudy({ name: 'b', direction: 'minimize' });
      const made = await Promise.all(Array.from({ length: 20 }, (_, i) => s.createTrial(i % 2 === 0 ? a.studyId : b.studyId)));
      const numbersOf = (studyId: number) => made.filter((t) => t.studyId === studyId).map((t) => t.number).sort((x, y) => x - y);
      assert.deepEqual(numbersOf(a.studyId), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.deepEqual(numbersOf(b.studyId), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(new Set(made.map((t) => t.trialId)).size, 20);
      const all = await s.getAllTrials(a.studyId);
      assert.deepEqual(all.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }));

  test(`${name}: createTrial with maxActive creates only while COMPLETE + RUNNING trials are fewer, even all at once`, () =>
    withStorage(f, async (s) => {
      const st = await s.createStudy({ name: 'q', direction: 'minimize' });
      const done = await s.createTrial(st.studyId);
      await s.finishTrial(done.trialId, { state: 'COMPLETE', value: 1 });
      const failed = await s.createTrial(st.studyId);
      await s.finishTrial(failed.trialId, { state: 'FAIL' });
      await s.createTrial(st.studyId, { state: 'WAITING' });
      const tries = await Promise.allSettled(Array.from({ length: 8 }, () => s.createTrial(st.studyId, { maxActive: 4 })));
      const made = tries.filter((r) => r.status === 'fulfilled');
      assert.equal(made.length, 3, 'FAIL and WAITING trials do not count; COMPLETE and RUNNING do');
      for (const r of tries) if (r.status === 'rejected') await rejectsWith(Promise.reject(r.reason), 'STUDY_FULL', /maxActive 4/);
      assert.deepEqual((await s.getAllTrials(st.studyId)).map((t) => t.number), [0, 1, 2, 3, 4, 5], 'a refused create uses no number');
      await rejectsWith(s.createTrial(st.studyId, { maxActive: -1 }), 'STORAGE', /maxActive/);
    }));

  test(`${name}: a new trial keeps its template: state, params, attrs, worker, seed, code version, budget, retryOf`, () =>
    withStorage(f, async (s) => {
      const st = await s.createStudy({ name: 'a', direction: 'minimize' });
      const t = await s.createTrial(st.studyId, {
        params: { lr: { distribution: lr, internal: 0.001 }, act: { distribution: act, internal: 2 } },
        userAttrs: { note: 'hi' }, systemAttrs: { fixed: true }, worker: 'host:12', seed: 42, codeVersion: '0.1.0+abc',
        budget: { epochs: 2, batchCap: null }, retryOf: 0,
      });
      assert.equal(t.state, 'RUNNING');
      assert.ok(t.datetimeStart instanceof Date);
      assert.equal(t.datetimeComplete, null);
      assert.deepEqual(t.params, { lr: 0.001, act: 'tanh' });
      assert.deepEqual(t.distributions, { lr, act });
      assert.deepEqual([t.userAttrs, t.systemAttrs], [{ note: 'hi' }, { fixed: true }]);
      assert.deepEqual([t.worker, t.seed, t.codeVersion, t.retryOf], ['host:12', 42, '0.1.0+abc', 0]);
      assert.deepEqual(t.budget, { epochs: 2, batchCap: null });
      assert.deepEqual(await s.getTrial(t.trialId), t);
      const w = await s.createTrial(st.studyId, { state: 'WAITING' });
      assert.equal(w.state, 'WAITING');
      assert.equal(w.datetimeStart, null);
      await rejectsWith(s.createTrial(st.studyId, { params: { lr: { distribution: lr, internal: 5 } } }), 'PARAM_CONFLICT', /lr/);
    }));

  test(`${name}: getTrial throws TRIAL_NOT_FOUND where findTrialByNumber returns undefined`, () =>
    withStorage(f, async (s) => {
      const { study, trial } = await studyWithTrial(s);
      await rejectsWith(s.getTrial(12345), 'TRIAL_NOT_FOUND');
      assert.equal(await s.findTrialByNumber(study.studyId, 1), undefined);
      assert.deepEqual(await s.findTrialByNumber(study.studyId, 0), trial);
      await rejectsWith(s.setTrialParam(12345, 'lr', lr, 0.01), 'TRIAL_NOT_FOUND');
      await rejectsWith(s.setTrialIntermediateValue(12345, 0, 1), 'TRIAL_NOT_FOUND');
      await rejectsWith(s.finishTrial(12345, { state: 'FAIL' }), 'TRIAL_NOT_FOUND');
    }));

  test(`${name}: setTrialParam refuses a value outside its distribution with PARAM_CONFLICT`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      await rejectsWith(s.setTrialParam(trial.trialId, 'lr', lr, 0.5), 'PARAM_CONFLICT', /"lr".*outside/);
      await rejectsWith(s.setTrialParam(trial.trialId, 'layers', layers, 2.5), 'PARAM_CONFLICT', /layers/);
      await rejectsWith(s.setTrialParam(trial.trialId, 'layers', layers, 9), 'PARAM_CONFLICT', /layers/);
      await rejectsWith(s.setTrialParam(trial.trialId, 'act', act, 3), 'PARAM_CONFLICT', /act/);
      await rejectsWith(s.setTrialParam(trial.trialId, 'act', act, 1.5), 'PARAM_CONFLICT', /act/);
      await rejectsWith(s.setTrialParam(trial.trialId, 'q', stepped, 0.3), 'PARAM_CONFLICT', /step/);
      await rejectsWith(s.setTrialParam(trial.trialId, 'lr', lr, NaN), 'PARAM_CONFLICT', /lr/);
      assert.deepEqual((await s.getTrial(trial.trialId)).params, {});
    }));

  test(`${name}: setTrialParams writes several params at once, and none of them when one is invalid`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      await rejectsWith(
        s.setTrialParams(trial.trialId, [
          { name: 'lr', distribution: lr, internal: 0.01 },
          { name: 'layers', distribution: layers, internal: 99 },
        ]),
        'PARAM_CONFLICT',
        /layers/,
      );
      assert.deepEqual((await s.getTrial(trial.trialId)).params, {});
      await s.setTrialParams(trial.trialId, [
        { name: 'lr', distribution: lr, internal: 0.01 },
        { name: 'act', distribution: act, internal: 1 },
      ]);
      const got = await s.getTrial(trial.trialId);
      assert.deepEqual(got.params, { lr: 0.01, act: act.choices[1] });
      await rejectsWith(s.setTrialParams(trial.trialId, [{ name: 'lr', distribution: lr, internal: 0.02 }]), 'PARAM_CONFLICT', /already/);
    }));

  test(`${name}: setTrialParam refuses a second value for a parameter the trial already has`, () =>
    withStorage(f, async (s) => {
      const { trial } = await studyWithTrial(s);
      await s.setTrialParam(trial.trialId, 'layers', layers, 3);
      await rejectsWith(s.setTrialParam(trial.trialId, 'layers', layers, 4), 'PARAM_CONFLICT', /already/);
      await rejectsWith(s.setTrialParam(trial.trialId, 'layers', layers, 3), 'PARAM_CONFLICT', /already/);
      assert.deepEqual((await s.getTrial(trial.trialId)).params, { layers: 3 });
    }));

  test(`${name}: setTrialWrites (where a store has it) writes params and attributes together, and neither when one is refused`, () =>
    withStorage(f, async (s) => {
      if (s.setTrialWrites === undefined) return;
      const { trial } = await studyWithTrial(s);
      await s.setTrialWrites(trial.trialId, { params: [{ name: 'layers', distribution: layers, internal: 3 }], attrs: [{ kind: 'user', key: 'epochs', value: 2 }] });
      const refused = s.setTrialWrites(trial.trialId, { params: [{ name: 'layers', distribution: layers, internal: 4 }], attrs: [{ kind: 'user', key: 'note', value: 'x' }] });
      await rejectsWith(refused, 'PARAM_CONFLICT', /already/);
      const t = await s.getTrial(trial.trialId);
      assert.deepEqual([t.params, t.userAttrs], [{ layers: 3 }, { epochs: 2 }]);
      await s.finishTrial(trial.trialId, { state: 'COMPLETE', value: 1 });
      await rejectsWith(s.setTrialWrites(trial.trialId, { params: [], attrs: [{ kind: 'system', key: 'k', value: 1 }] }), 'TRIAL_FINISHED');
    }));

  test(`${name}: different trials may use different distributions for one parameter name`, () =>
    withStorage(f, async (s) => {
      const { study, trial } = await studyWithTrial(s);
      const other = await s.createTrial(study.studyId);
      await s.setTrialParam(trial.trialId, 'x', layers, 3);
      await s.setTrialParam(other.trialId, 'x', act, 0);
      await s.setTrialParam(trial.trialId, 'q', stepped, 0.75);
      const [a, b] = await s.getAllTrials(study.studyId);
      assert.deepEqual([a.params, b.params], [{ x: 3, q: 0.75 }, { x: 'relu' }]);
      assert.deepEqual([a.distributions.x, b.distributions.x], [layers, act]);
    }));

  test(`${name}: finishing a trial records state, value, error and completion time`, () =>
    withStorage(f, async (s) => {
      const { study, trial } = await studyWithTrial(s);
      const done = await s.finishTrial(trial.trialId, { state: 'COMPLETE', value: 0.25 });
      assert.deepEqual([done.state, done.value], ['COMPLETE', 0.25]);
      assert.ok(done.datetimeComplete instanceof Date && done.datetimeStart instanceof Date);
      assert.ok(done.datetimeComplete.getTime() >= done.datetimeStart.getTime());
      const failing = await s.createTrial(study.studyId);
      const error = { message: 'boom', stack: 'Error: boom\n    at x', code: 'OBJECTIVE_FAILED' };
      const failed = await s.finishTrial(failing.trialId, { state: 'FAIL', error });
      assert.deepEqual([failed.state, failed.value, failed.error], ['FAIL', null, error]);
      const noValue = await s.createTrial(study.studyId);
      await rejectsWith(s.finishTrial(noValue.trialId, { state: 'COMPLETE' }), 'STORAGE', /value/);
      await rejectsWith(s.finishTrial(noValue.trialId, { state: 'FAIL', value: 1 }), 'STORAGE', /FAIL/);
      assert.equal((await s.getTrial(noValue.trialId)).state, 'RUNNING');
    }));

  test(`${name}: a PRUNED trial without a value takes its last intermediate value`, () =>
    withStorage(f, async (s) => {
      const { study, trial } = await studyWithTrial(s);
      await s.setTrialIntermediateValue(trial.trialId, 3, 0.5);
      await s.setTrialIntermediateValue(trial.trialId, 7, 0.4);
      await s.setTrialIntermediateValue(trial.trialId, 5, 0.45);
      assert.equal((await s.finishTrial(trial.trialId, { state: 'PRUNED' })).value, 0.4);
      const empty = await s.createTrial(study.studyId);
      assert.equal((await s.finishTrial(empty.trialId, { state: 'PRUNED' })).value, null);
      const given = await s.createTrial(study.studyId);
      assert.equal((await s.finishTrial(given.trialId, { state: 'PRUNED', value: 9 })).value, 9);
    }));

  test(`${name}: claimWaitingTrial starts the lowest-numbered WAITING trial once and then returns undefined`, () =>
    withStorage(f, async (s) => {
      const st = await s.createStudy({ name: 'q', direction: 'minimize' });
      await s.createTrial(st.studyId);
      const w1 = await s.createTrial(st.studyId, { state: 'WAITING', params: { layers: { distribution: layers, internal: 2 } } });
      await s.createTrial(st.studyId, { state: 'WAITING' });
      const claims = await Promise.all([s.claimWaitingTrial(st.studyId, 'w-a'), s.claimWaitingTrial(st.studyId, 'w-b'), s.claimWaitingTrial(st.studyId, 'w-c')]);
      const got = claims.filter((c) => c !== undefined);
      assert.deepEqual(got.map((c) => c.number).sort(), [1, 2]);
      const first = got.find((c) => c.number === 1);
      assert.equal(first?.trialId, w1.trialId);
      assert.equal(first?.state, 'RUNNING');
      assert.deepEqual(first?.params, { layers: 2 });
      assert.ok(first?.datetimeStart instanceof Date);
      assert.ok(['w-a', 'w-b', 'w-c'].includes(first?.worker ?? ''));
      assert.equal(await s.claimWaitingTrial(st.studyId, 'w-d'), undefined);
    }));

  test(`${name}: claimWaitingTrial with maxActive claims only while COMPLETE + RUNNING trials are fewer, concurrent claims included`, () =>
    withStorage(f, async (s) => {
      const st = await s.createStudy({ name: 'b', direction: 'minimize' });
      const done = await s.createTrial(st.studyId);
      await s.finishTrial(done.trialId, { state: 'COMPLETE', value: 1 });
      for (let i = 0; i < 3; i++) await s.createTrial(st.studyId, { state: 'WAITING' });
      await rejectsWith(s.claimWaitingTrial(st.studyId, 'w', { maxActive: 1 }), 'STUDY_FULL');
      // Three claims at once under a bound of 3 (1 COMPLETE): exactly two start, the third is refused.
      const claims = await Promise.allSettled([1, 2, 3].map((i) => s.claimWaitingTrial(st.studyId, `w-${i}`, { maxActive: 3 })));
      assert.equal(claims.filter((c) => c.status === 'fulfilled' && c.value !== undefined).length, 2);
      const refused = claims.filter((c) => c.status === 'rejected');
      assert.equal(refused.length, 1);
      assert.equal(((refused[0] as PromiseRejectedResult).reason as { code?: string }).code, 'STUDY_FULL');
      assert.deepEqual((await s.getAllTrials(st.studyId)).map((t) => t.state), ['COMPLETE', 'RUNNING', 'RUNNING', 'WAITING']);
    }));

  test(`${name}: getAllTrials orders by number, filters by state and sees updates to unfinished trials`, () =>
    withStorage(f, async (s) => {
      const { study, trial } = await studyWithTrial(s);
      const second = await s.createTrial(study.studyId);
      await s.finishTrial(second.trialId, { state: 'COMPLETE', value: 1 });
      assert.deepEqual((await s.getAllTrials(study.studyId)).map((t) => t.state), ['RUNNING', 'COMPLETE']);
      await s.setTrialIntermediateValue(trial.trialId, 0, 2);
      await s.setTrialParam(trial.trialId, 'layers', layers, 4);
      const [first] = await s.getAllTrials(study.studyId);
      assert.deepEqual([...first.intermediateValues], [[0, 2]]);
      assert.deepEqual(first.params, { layers: 4 });
      await s.finishTrial(trial.trialId, { state: 'FAIL' });
      await s.createTrial(study.studyId, { state: 'WAITING' });
      const finished = await s.getAllTrials(study.studyId, { states: ['COMPLETE', 'FAIL'] });
      assert.deepEqual(finished.map((t) => [t.number, t.state]), [[0, 'FAIL'], [1, 'COMPLETE']]);
      assert.deepEqual((await s.getAllTrials(study.studyId, { states: ['WAITING'] })).map((t) => t.number), [2]);
    }));

  test(`${name}: findStaleTrials finds RUNNING trials whose heartbeat or start is older than the age`, () => {
    // A manual clock: time moves only when the test says so, so a busy machine cannot change the outcome.
    let now = 1_000_000;
    return withStorage(f, async (s) => {
      const stale = async (studyId: number, olderThanMs: number) => (await s.findStaleTrials(studyId, olderThanMs)).map((t) => t.number);
      const { study, trial } = await studyWithTrial(s);
      assert.deepEqual(trial.datetimeStart, new Date(1_000_000));
      now += 1_000;
      const fresh = await s.createTrial(study.studyId);
      assert.deepEqual(await stale(study.studyId, 500), [0], 'started 1000 ms ago, no heartbeat');
      assert.deepEqual(await stale(study.studyId, 1_000), [], 'exactly as old as the age is not older than it');
      assert.deepEqual(await stale(study.studyId, 999), [0]);
      await s.recordHeartbeat(trial.trialId);
      assert.deepEqual((await s.getTrial(trial.trialId)).heartbeat, new Date(1_001_000));
      assert.deepEqual(await stale(study.studyId, 500), [], 'a heartbeat makes it fresh, however old its start');
      now += 1_000;
      await s.finishTrial(fresh.trialId, { state: 'COMPLETE', value: 0 });
      assert.deepEqual(await stale(study.studyId, 500), [0], 'stale again once the heartbeat is 1000 ms old; finished trials never are');
      await rejectsWith(s.findStaleTrials(study.studyId, -1), 'STORAGE', /olderThanMs/);
    }, { clock: () => now });
  });
}
