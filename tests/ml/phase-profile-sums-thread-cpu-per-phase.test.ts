import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhaseProfile, phaseProfileWanted } from '../../src/ml/phase-profile.js';

/** Burns at least `ms` of this process's CPU (not of wall clock: on a loaded machine a wall-clock spin may get little). */
function spin(ms: number): number {
  const start = process.cpuUsage();
  let x = 0;
  while (process.cpuUsage(start).user < ms * 1000) x += 1;
  return x;
}

test('the phase profile counts CPU in the phase that burned it, and a sleeping wait as wall time with little CPU', () => {
  const p = new PhaseProfile('test');
  p.endStep(); // the first step is warm-up and not counted
  const lock = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 3; i++) {
    p.time('busy', () => spin(60));
    p.time('wait', () => Atomics.wait(lock, 0, 0, 30));
    p.endStep();
  }
  const r = p.report();
  assert.equal(r.steps, 3);
  const busy = r.phases['busy'];
  const wait = r.phases['wait'];
  assert.ok(busy !== undefined && wait !== undefined);
  assert.equal(busy.calls, 3);
  assert.ok(wait.wallMs >= 85, `wait wall ${wait.wallMs} ms`);
  // A busy loop burns CPU; Atomics.wait sleeps. A ratio, not a speed, so load cannot fail it. The scheduler's
  // count for a running thread lags by up to a tick (schedstat is updated at ticks and switches), so a wait that
  // follows a busy phase may be charged up to a tick of it: 60 ms of CPU against one tick per wait leaves room.
  assert.ok(wait.cpuMs < busy.cpuMs / 3, `wait ${wait.cpuMs} ms CPU vs busy ${busy.cpuMs}`);
  assert.ok(r.threadCpuMs >= busy.cpuMs);
});

test('PARZEN_PHASE_PROFILE switches the profile and a bad value names the variable', () => {
  assert.equal(phaseProfileWanted({}), false);
  assert.equal(phaseProfileWanted({ PARZEN_PHASE_PROFILE: '1' }), true);
  assert.throws(() => phaseProfileWanted({ PARZEN_PHASE_PROFILE: 'yes' }), /PARZEN_PHASE_PROFILE/);
});
