import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

// A 200 ms timeout against a module that spends a second importing: only the objective's run is timed.
const runner = new PoolRunner({ workers: 1, trialTimeoutMs: 200 });
after(() => runner.close());

test('a trial whose module is slow to import but whose objective is quick completes under a short timeout', async () => {
  const outcome = await runner.run(fixtureJob('loads-slowly'), recordingEvents().events, neverAborted());
  assert.equal(outcome.state, 'COMPLETE', JSON.stringify(outcome));
});
