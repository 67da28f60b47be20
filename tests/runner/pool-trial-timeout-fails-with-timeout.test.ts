import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1, trialTimeoutMs: 300 });
after(() => runner.close());

test('a trial spinning past trialTimeoutMs fails with code TIMEOUT and its thread is terminated', async () => {
  const outcome = await runner.run(fixtureJob('spins-forever'), recordingEvents().events, neverAborted());
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.code, 'TIMEOUT');
  assert.match(outcome.error.message, /trial 0 ran past the 300 ms trial timeout/);
});

test('after a timeout the pool runs the next trial on a fresh worker', async () => {
  const outcome = await runner.run(fixtureJob('quadratic', 1), recordingEvents().events, neverAborted());
  assert.equal(outcome.state, 'COMPLETE');
});
