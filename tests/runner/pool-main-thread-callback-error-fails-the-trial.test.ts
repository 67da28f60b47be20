import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1 });
after(() => runner.close());

test('a report the main thread refuses (NaN) fails the trial with that error, as it would in-process', async () => {
  const outcome = await runner.run(fixtureJob('reports-nan'), recordingEvents().events, neverAborted());
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.message, 'report(0, NaN) refused');
});

test('an objective module that does not exist fails the trial with OBJECTIVE_LOAD naming the file', async () => {
  const outcome = await runner.run(fixtureJob('no-such-objective', 1), recordingEvents().events, neverAborted());
  assert.ok(outcome.state === 'FAIL', `expected FAIL, got ${outcome.state}`);
  assert.equal(outcome.error.code, 'OBJECTIVE_LOAD');
  assert.match(outcome.error.message, /no-such-objective\.js does not exist/);
});
