import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1 });
after(() => runner.close());

test('an error thrown asynchronously in a worker fails that trial with code WORKER and its stack', async () => {
  const outcome = await runner.run(fixtureJob('async-crash'), recordingEvents().events, neverAborted());
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.code, 'WORKER');
  assert.equal(outcome.error.message, 'worker crashed: uncaught error thrown from a timer');
  assert.match(outcome.error.stack ?? '', /async-crash\.js/);
});

test('after an asynchronous crash the replacement worker completes the next trial', async () => {
  const outcome = await runner.run(fixtureJob('quadratic', 1), recordingEvents().events, neverAborted());
  assert.equal(outcome.state, 'COMPLETE');
});
