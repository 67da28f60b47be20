import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runTrials, type RunEvent } from '../../src/runner/run-trials.js';
import type { TrialEvents, TrialJob, TrialOutcome, TrialRunner } from '../../src/runner/runner.js';
import { parseTrialTrainWorkers, trainWorkersFor } from '../../src/runner/train-slots.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { createStudy } from '../../src/study/create.js';

test('a trial takes ⌊idle slots / trials still to start⌋, at least 1, at most the cap', () => {
  const at = (free: number, toStartAfter: number, max = 64): number => trainWorkersFor({ free, toStartAfter, max });
  assert.equal(at(2, 0), 2); // the last trial of a study on 2 workers, alone
  assert.equal(at(1, 0), 1); // the last trial beside one still running
  assert.equal(at(2, 1), 1); // the next trial needs the other slot
  assert.equal(at(4, 1), 2);
  assert.equal(at(3, 1), 1); // 1 now, 2 for the next: each later trial keeps an idle slot
  assert.equal(at(8, 0, 3), 3);
  assert.equal(at(8, 0, 1), 1);
  assert.equal(at(4, Number.POSITIVE_INFINITY), 1); // a shared study: always more to start
  for (let free = 1; free <= 9; free++) {
    for (let after = 0; after <= 9; after++) assert.ok(free - at(free, after) >= Math.min(after, free - 1), `free ${free}, ${after} to start after`);
  }
});

test('--trial-train-workers takes auto or 1 to 64', () => {
  assert.equal(parseTrialTrainWorkers('auto'), 'auto');
  assert.equal(parseTrialTrainWorkers('3'), 3);
  assert.equal(parseTrialTrainWorkers(1), 1);
  for (const bad of ['0', '65', '2.5', 'Auto', '', 2.5, null]) assert.throws(() => parseTrialTrainWorkers(bad), /--trial-train-workers: expected 'auto'/);
});

/** A runner of `concurrency` slots whose trials take `ms` and record the train workers they were given. */
function fakeRunner(concurrency: number, ms: (job: TrialJob) => number, failFirst = false): TrialRunner & { jobs: TrialJob[] } {
  const jobs: TrialJob[] = [];
  return {
    concurrency,
    name: 'fake',
    jobs,
    async run(job: TrialJob, _events: TrialEvents): Promise<TrialOutcome> {
      jobs.push(job);
      await sleep(ms(job));
      if (failFirst && job.trialNumber === 0) return { state: 'FAIL', error: { message: 'first try fails', stack: null, code: null } };
      return { state: 'COMPLETE', value: job.trialNumber };
    },
    async close() {},
  };
}

async function run(runner: TrialRunner, o: { nTrials: number; maxTrainWorkers?: number; nTrialsPerBatch?: number; retries?: number; lastTrialWaitFraction?: number }): Promise<RunEvent[]> {
  const storage = new InMemoryStorage();
  const study = await createStudy({ name: 'slots', storage, sampler: new RandomSampler({ seed: 1 }), direction: 'minimize' });
  const events: RunEvent[] = [];
  await runTrials({
    study, storage, runner, target: { kind: 'objective', path: '/unused.js' }, space: { x: float(0, 1) },
    nTrials: o.nTrials, budget: {}, seed: 1, worker: 'test', codeVersion: null, retries: o.retries, retryBackoffMs: 1,
    maxTrainWorkers: o.maxTrainWorkers ?? 64, lastTrialWaitFraction: o.lastTrialWaitFraction, nTrialsPerBatch: o.nTrialsPerBatch ?? null, onEvent: (e) => events.push(e),
  });
  return events;
}

const given = (r: { jobs: TrialJob[] }): number[] => r.jobs.map((j) => j.trainWorkers ?? 1);

test('2 trials on 3 slots: the first takes 1 (the next needs a slot), the last the 2 left', async () => {
  const runner = fakeRunner(3, () => 50);
  await run(runner, { nTrials: 2 });
  assert.deepEqual(given(runner), [1, 2]);
});

test('5 trials on 2 slots never hold more than 2, and every trial with another still to start takes 1', async () => {
  const runner = fakeRunner(2, (j) => 20 + 15 * j.trialNumber);
  const events = await run(runner, { nTrials: 5 });
  let busy = 0;
  const held = new Map<number, number>();
  for (const e of events) {
    if (e.type === 'trial-start') {
      busy += e.trainWorkers;
      held.set(e.number, e.trainWorkers);
      assert.ok(busy <= 2, `${busy} slots busy at trial ${e.number}'s start`);
    } else if (e.type === 'trial-end') busy -= held.get(e.number) ?? 0;
  }
  assert.deepEqual([0, 1, 2, 3].map((n) => held.get(n)), [1, 1, 1, 1]);
});

test('the cap holds, 1 turns it off, and deterministic batches always give 1', async () => {
  const capped = fakeRunner(4, () => 5);
  await run(capped, { nTrials: 1, maxTrainWorkers: 3 });
  assert.deepEqual(given(capped), [3]);
  const off = fakeRunner(4, () => 5);
  await run(off, { nTrials: 1, maxTrainWorkers: 1 });
  assert.deepEqual(given(off), [1]);
  const batches = fakeRunner(4, () => 5);
  await run(batches, { nTrials: 2, nTrialsPerBatch: 4 });
  assert.deepEqual(given(batches), [1, 1]);
});

test('a retry runs on the slots its failed trial held', async () => {
  const runner = fakeRunner(2, () => 5, true);
  await run(runner, { nTrials: 1, retries: 1 });
  assert.deepEqual(runner.jobs.map((j) => [j.trialNumber, j.trainWorkers]), [[0, 2], [1, 2]]);
});

test('the last trial waits for a trial that ends within its bound and takes its slot too', async () => {
  // Trial 0 ends at 200 ms, trial 1 at 260: within the bound (1 × the 200 ms mean), so trial 2 gets both slots.
  const runner = fakeRunner(2, (j) => [200, 260, 10][j.trialNumber]);
  await run(runner, { nTrials: 3, lastTrialWaitFraction: 1 });
  assert.deepEqual(given(runner), [1, 1, 2]);
});

test('the last trial waits no longer than its bound: beside a long trial it starts on the slot that is free', async () => {
  // Bound: 0.25 × 200 ms; trial 1 runs 3 s, so trial 2 starts on 1 slot long before it ends.
  const runner = fakeRunner(2, (j) => [200, 3000, 10][j.trialNumber]);
  const events = await run(runner, { nTrials: 3, lastTrialWaitFraction: 0.25 });
  assert.deepEqual(given(runner), [1, 1, 1]);
  const order = events.filter((e) => e.type !== 'trial-progress' && e.type !== 'trial-log').map((e) => `${e.type} ${e.number}`);
  assert.ok(order.indexOf('trial-start 2') < order.indexOf('trial-end 1'), order.join(', '));
});
