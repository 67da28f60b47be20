import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1 });
after(() => runner.close());

/** A pruner that takes ~20 ms per verdict, so a worker that did not wait for the verdict would read a stale one. */
function slowPruneFromStep3(steps: readonly number[]): boolean {
  const until = Date.now() + 20;
  while (Date.now() < until);
  return steps.length > 0 && steps[steps.length - 1] >= 3;
}

test("the main thread's prune verdict reaches the worker's synchronous shouldPrune at the step it was given", async () => {
  // Prune once step 3 has been reported: the objective must stop right there, not a step later.
  const { events, log } = recordingEvents(slowPruneFromStep3);
  const outcome = await runner.run(fixtureJob('reports-until-pruned'), events, neverAborted());
  assert.deepEqual(outcome, { state: 'PRUNED' });
  const reported = log.flatMap((e) => (e.kind === 'report' ? [e.step] : []));
  assert.deepEqual(reported, [0, 1, 2, 3]);
  assert.deepEqual(log[log.length - 1], { kind: 'setAttr', key: 'pruned_at', value: 3 });
});

test('a pruner that never prunes lets the same objective run to completion', async () => {
  const { events, log } = recordingEvents(() => false);
  const outcome = await runner.run(fixtureJob('reports-until-pruned', 1), events, neverAborted());
  assert.deepEqual(outcome, { state: 'COMPLETE', value: 0.25 });
  assert.equal(log.filter((e) => e.kind === 'report').length, 1000);
});
