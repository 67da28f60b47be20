import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1, graceMs: 300 });
after(() => runner.close());

/** Abort once the objective has logged that it is running, so the cancel hits a live trial. */
function abortWhenRunning(log: ReturnType<typeof recordingEvents>['log'], controller: AbortController): void {
  const timer = setInterval(() => {
    if (log.length > 0) {
      clearInterval(timer);
      controller.abort();
    }
  }, 5);
}

test('an interrupt aborts ctx.signal in the worker and a trial that stops within the grace period is INTERRUPTED', async () => {
  const { events, log } = recordingEvents();
  const controller = new AbortController();
  abortWhenRunning(log, controller);
  const outcome = await runner.run(fixtureJob('waits-for-cancel'), events, controller.signal);
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.code, 'INTERRUPTED');
  assert.match(outcome.error.message, /^interrupted by SIGINT\/SIGTERM; the trial stopped with: stopped cooperatively: .*; resume with `tune --resume`$/);
});

test('a trial that ignores the interrupt is terminated after the grace period and resolves INTERRUPTED', async () => {
  const { events, log } = recordingEvents();
  const controller = new AbortController();
  const running = setTimeout(() => controller.abort('SIGTERM'), 200);
  const outcome = await runner.run(fixtureJob('ignores-cancel', 1), events, controller.signal);
  clearTimeout(running);
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.code, 'INTERRUPTED');
  assert.match(outcome.error.message, /^interrupted by SIGTERM; trial 1 did not stop within the 300 ms grace period.*tune --resume/);
  assert.deepEqual(log, []);
});

test('after an interrupt terminated a worker the pool still runs trials', async () => {
  const outcome = await runner.run(fixtureJob('quadratic', 2), recordingEvents().events, new AbortController().signal);
  assert.equal(outcome.state, 'COMPLETE');
});
