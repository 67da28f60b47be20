import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1 });
after(() => runner.close());

test('process.exit inside an objective fails that trial with code WORKER and keeps the events sent before it', async () => {
  const { events, log } = recordingEvents();
  const outcome = await runner.run(fixtureJob('exits'), events, neverAborted());
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.code, 'WORKER');
  assert.match(outcome.error.message, /^worker crashed: .*exit.*code: 3/);
  assert.deepEqual(log, [{ kind: 'log', level: 'info', message: 'about to exit' }]);
});

test('after process.exit the replacement worker completes the next trial', async () => {
  const outcome = await runner.run(fixtureJob('quadratic', 1), recordingEvents().events, neverAborted());
  assert.equal(outcome.state, 'COMPLETE');
});
