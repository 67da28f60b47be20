import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { InProcessRunner } from '../../src/runner/in-process.js';
import { PoolRunner } from '../../src/runner/pool.js';
import type { TrialRunner } from '../../src/runner/runner.js';
import { fixtureJob, neverAborted, recordingEvents, type RecordedEvent } from './fixtures/harness.js';

const runners: readonly TrialRunner[] = [new InProcessRunner(), new PoolRunner({ workers: 1 })];
after(() => Promise.all(runners.map((r) => r.close())));

const fromStep2 = (steps: readonly number[]): boolean => steps.length > 0 && steps[steps.length - 1] >= 2;
const reported = (log: readonly RecordedEvent[]): number[] => log.flatMap((e) => (e.kind === 'report' ? [e.step] : []));
const warnings = (log: readonly RecordedEvent[]): string[] => log.flatMap((e) => (e.kind === 'log' && e.level === 'warn' ? [e.message] : []));

for (const runner of runners) {
  test(`${runner.name}: an objective that returns after shouldPrune() answered true is PRUNED, and its log says why`, async () => {
    const { events, log } = recordingEvents(fromStep2);
    const outcome = await runner.run(fixtureJob('returns-after-prune-verdict'), events, neverAborted());
    assert.deepEqual(outcome, { state: 'PRUNED' });
    assert.deepEqual(reported(log), [0, 1, 2]);
    const [warning, ...more] = warnings(log);
    assert.equal(more.length, 0);
    assert.match(warning ?? '', /prune at step 2 .* returned -1 .*stored PRUNED.*if \(ctx\.shouldPrune\(\)\) ctx\.prune\(\);/);
  });

  test(`${runner.name}: ctx.prune() stops the trial at the verdict as PRUNED, with no warning`, async () => {
    const { events, log } = recordingEvents(fromStep2);
    const outcome = await runner.run(fixtureJob('prunes-with-ctx', 1), events, neverAborted());
    assert.deepEqual(outcome, { state: 'PRUNED' });
    assert.deepEqual(reported(log), [0, 1, 2]);
    assert.deepEqual(warnings(log), []);
  });

  test(`${runner.name}: a verdict the objective never asked for does not prune it`, async () => {
    // The pool's main thread judges every report whether or not the objective asks; only a verdict it was told holds.
    const { events, log } = recordingEvents(() => true);
    const outcome = await runner.run(fixtureJob('never-asks-to-prune', 2), events, neverAborted());
    assert.deepEqual(outcome, { state: 'COMPLETE', value: 0.25 });
    assert.deepEqual(reported(log), [0, 1, 2, 3, 4]);
  });
}
