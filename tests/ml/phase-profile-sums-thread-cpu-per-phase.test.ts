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
  // A busy loop burns CPU; Atomics.wait sleeps. A ratio, not a speed, so load cannot fail it.
  assert.ok(wait.cpuMs < busy.cpuMs / 3, `wait ${wait.cpuMs} ms CPU vs busy ${busy.cpuMs}`);
  assert.ok(r.threadCpuMs >= busy.cpuMs);
});

/** A fixed amount of arithmetic (a few ms of CPU), making no system call: the scheduler's count is not refreshed. */
function work(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + i * 0x9e3779b9) | 0;
  return x;
}

test('a short busy phase before a blocking one is charged its own CPU, not left for the blocking phase (regression: the scheduler tick lag)', () => {
  // A running thread's schedstat advances only at scheduler ticks (4 ms at HZ=250) and switches; read bare, a few
  // ms of work before a wait were charged to the wait (the barrier) when its sleep settled the count. The profile
  // refreshes the count (getrusage) before reading it.
  const p = new PhaseProfile('test');
  p.endStep();
  const lock = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 40; i++) {
    p.time('busy', () => work(1_000_000));
    p.time('wait', () => Atomics.wait(lock, 0, 0, 2));
    p.endStep();
  }
  const { busy, wait } = p.report().phases;
  assert.ok(busy !== undefined && wait !== undefined);
  assert.ok(wait.cpuMs < busy.cpuMs / 10, `wait ${wait.cpuMs.toFixed(2)} ms CPU vs busy ${busy.cpuMs.toFixed(2)} ms over 40 steps`);
});

test('PARZEN_PHASE_PROFILE switches the profile and a bad value names the variable', () => {
  assert.equal(phaseProfileWanted({}), false);
  assert.equal(phaseProfileWanted({ PARZEN_PHASE_PROFILE: '1' }), true);
  assert.throws(() => phaseProfileWanted({ PARZEN_PHASE_PROFILE: 'yes' }), /PARZEN_PHASE_PROFILE/);
});
