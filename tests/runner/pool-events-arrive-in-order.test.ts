import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PoolRunner } from '../../src/runner/pool.js';
import { fixtureJob, neverAborted, recordingEvents, type RecordedEvent } from './fixtures/harness.js';

const runner = new PoolRunner({ workers: 1 });
after(() => runner.close());

test('report, metrics, log, progress and setAttr calls reach the main thread in the order the objective made them', async () => {
  const { events, log } = recordingEvents();
  const outcome = await runner.run(fixtureJob('streams-events'), events, neverAborted());
  assert.deepEqual(outcome, { state: 'COMPLETE', value: 0.5 });
  const expected: RecordedEvent[] = [{ kind: 'setAttr', key: 'phase', value: 'start' }];
  for (let epoch = 0; epoch < 3; epoch++) {
    expected.push(
      { kind: 'progress', progress: { epoch, epochs: 3 } },
      { kind: 'metrics', step: epoch, values: { train_loss: 1 / (epoch + 1), lr: 0.1 } },
      { kind: 'report', step: epoch, value: 0.25 + epoch },
      // The main thread judges every report with the pruner, so the worker can read the verdict synchronously.
      { kind: 'shouldPrune', answer: false },
      { kind: 'log', level: 'info', message: `epoch ${epoch} done`, data: { epoch } },
    );
  }
  expected.push({ kind: 'setAttr', key: 'phase', value: 'end' });
  assert.deepEqual(log, expected);
});
