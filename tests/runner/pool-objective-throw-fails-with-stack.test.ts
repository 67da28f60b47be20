import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1 });
after(() => runner.close());

test('an objective that throws fails its trial with the error and the stack from the worker', async () => {
  const outcome = await runner.run(fixtureJob('throws'), recordingEvents().events, neverAborted());
  assert.equal(outcome.state, 'FAIL');
  assert.ok(outcome.state === 'FAIL');
  assert.equal(outcome.error.code, 'RangeError');
  assert.equal(outcome.error.message, 'objective exploded at x=0.25');
  assert.match(outcome.error.stack ?? '', /explodeInObjective/);
  assert.match(outcome.error.stack ?? '', /fixtures[/\\]throws\.js/);
});

test('the worker that ran the throwing objective runs the next trial', async () => {
  const outcome = await runner.run(fixtureJob('quadratic', 1), recordingEvents().events, neverAborted());
  assert.deepEqual(outcome, { state: 'COMPLETE', value: (0.25 - 0.3) ** 2 });
});
