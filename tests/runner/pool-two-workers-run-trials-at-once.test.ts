import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 2 });
after(() => runner.close());

function attr(log: ReturnType<typeof recordingEvents>['log'], key: string): number {
  const hit = log.find((e) => e.kind === 'setAttr' && e.key === key);
  assert.ok(hit !== undefined && hit.kind === 'setAttr' && typeof hit.value === 'number', `no numeric attr ${key}`);
  return hit.value;
}

test('a pool of two workers runs two trials at the same time on two different threads', async () => {
  assert.equal(runner.concurrency, 2);
  // First pair: boots both threads and loads the module on each, so a slow thread start on a loaded machine cannot
  // push the measured pair apart.
  await Promise.all([0, 1].map((n) => runner.run(fixtureJob('sleeps-on-a-thread', n), recordingEvents().events, neverAborted())));
  const a = recordingEvents();
  const b = recordingEvents();
  const outcomes = await Promise.all([
    runner.run(fixtureJob('sleeps-on-a-thread', 2), a.events, neverAborted()),
    runner.run(fixtureJob('sleeps-on-a-thread', 3), b.events, neverAborted()),
  ]);
  assert.deepEqual(
    outcomes.map((o) => o.state),
    ['COMPLETE', 'COMPLETE'],
  );
  assert.notEqual(attr(a.log, 'thread_id'), attr(b.log, 'thread_id'));
  // Each trial sleeps 300 ms; the intervals [started, ended] must intersect.
  assert.ok(attr(a.log, 'started_ms') < attr(b.log, 'ended_ms') && attr(b.log, 'started_ms') < attr(a.log, 'ended_ms'), 'the two trials did not overlap');
});
