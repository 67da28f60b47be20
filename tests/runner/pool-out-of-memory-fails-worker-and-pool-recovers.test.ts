import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

// A small heap cap keeps the out-of-memory trial short.
const runner = new PoolRunner({ workers: 1, maxOldGenerationMb: 32 });
after(() => runner.close());

test('an objective that runs out of heap fails its trial with code WORKER instead of killing the process', async () => {
  const outcome = await runner.run(fixtureJob('out-of-memory'), recordingEvents().events, neverAborted());
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.code, 'WORKER');
  assert.match(outcome.error.message, /^worker crashed: .*memory/i);
});

test('after running out of memory the replacement worker completes the next trial', async () => {
  const outcome = await runner.run(fixtureJob('quadratic', 1), recordingEvents().events, neverAborted());
  assert.equal(outcome.state, 'COMPLETE');
});
