import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FrozenTrial } from '../../../src/core/frozen.js';
import { PoolRunner } from '../../../src/runner/pool.js';
import { runTrials, type RunEvent } from '../../../src/runner/run-trials.js';
import type { TargetSpec } from '../../../src/runner/target.js';
import { RandomSampler } from '../../../src/samplers/index.js';
import { float } from '../../../src/space/distributions.js';
import { InMemoryStorage } from '../../../src/storage/memory.js';
import { createStudy } from '../../../src/study/create.js';
import { subsystemModule } from '../../../src/subsystems/registry.js';
import { tinyDatasets, TINY_PARAMS } from '../optimizer/fixtures.js';

/**
 * Data-parallel tuning trials (runner/train-slots.ts) on real worker threads: the optimizer's trial on a pool
 * thread starts its replicas as nested worker threads on the slots the study manager reserved for it.
 * One pool for the file, so TensorFlow.js loads once per pool thread.
 */
const runner = new PoolRunner({ workers: 2 });
after(() => runner.close());
const datasetsDir = await tinyDatasets({ train: 24, val: 8, test: 12 });
const target: TargetSpec = { kind: 'subsystem', name: 'optimizer', module: subsystemModule('optimizer'), datasetsDir, defaults: { ...TINY_PARAMS } };

interface Ran {
  readonly trials: readonly FrozenTrial[];
  readonly events: readonly RunEvent[];
}

async function study(o: { name: string; nTrials: number; maxTrainWorkers: number; lastTrialWaitFraction?: number; epochs?: number; signal?: AbortSignal; onEvent?: (e: RunEvent) => void }): Promise<Ran> {
  const storage = new InMemoryStorage();
  const s = await createStudy({ name: o.name, storage, sampler: new RandomSampler({ seed: 3 }), direction: 'minimize' });
  const events: RunEvent[] = [];
  await runTrials({
    study: s, storage, runner, target, space: { learning_rate: float(1e-3, 5e-3, { log: true }) },
    nTrials: o.nTrials, budget: { epochs: o.epochs ?? 1, batchCap: 2 }, seed: 3, worker: 'test', codeVersion: null,
    maxTrainWorkers: o.maxTrainWorkers, lastTrialWaitFraction: o.lastTrialWaitFraction, signal: o.signal,
    onEvent: (e) => {
      events.push(e);
      o.onEvent?.(e);
    },
  });
  return { trials: await storage.getAllTrials(s.studyId), events };
}

const starts = (r: Ran): Map<number, number> =>
  new Map(r.events.flatMap((e) => (e.type === 'trial-start' ? [[e.number, e.trainWorkers] as const] : [])));

test('the only trial of a study on 2 workers trains on both, records it, and ends with the single worker’s value', async () => {
  const two = await study({ name: 'dp-one-trial', nTrials: 1, maxTrainWorkers: 64 });
  const one = await study({ name: 'dp-one-trial-off', nTrials: 1, maxTrainWorkers: 1 });
  assert.deepEqual([...starts(two)], [[0, 2]]);
  assert.deepEqual([...starts(one)], [[0, 1]]);
  const [a, b] = [one.trials[0], two.trials[0]];
  assert.equal(b.state, 'COMPLETE', JSON.stringify(b.error));
  assert.equal(a.state, 'COMPLETE', JSON.stringify(a.error));
  assert.equal(b.userAttrs['train_workers'], 2);
  assert.equal(a.userAttrs['train_workers'], 1);
  assert.deepEqual(b.params, a.params);
  const [va, vb] = [a.value as number, b.value as number];
  assert.ok(Number.isFinite(vb));
  assert.ok(Math.abs(va - vb) <= 1e-4 * Math.max(1, Math.abs(va)), `value ${vb} on 2 train workers vs ${va} on 1`);
});

test('3 trials on 2 workers: the first two train on 1 each; the last, waiting for the second to end, on both; never more than 2 at once', async () => {
  // A wait bound of 1000 mean trials: the last trial always waits for the second (the default is a quarter of one).
  const r = await study({ name: 'dp-three-trials', nTrials: 3, maxTrainWorkers: 64, lastTrialWaitFraction: 1000 });
  assert.deepEqual(r.trials.map((t) => t.state), ['COMPLETE', 'COMPLETE', 'COMPLETE']);
  const held = starts(r);
  assert.deepEqual([0, 1, 2].map((n) => held.get(n)), [1, 1, 2]);
  // Slots in use at each start: a trial holds its slots from its start to its end (its trial-end event).
  const running = new Map<number, number>();
  for (const e of r.events) {
    if (e.type === 'trial-start') {
      const busy = [...running.values()].reduce((s, n) => s + n, 0);
      assert.ok(busy + e.trainWorkers <= 2, `trial ${e.number} took ${e.trainWorkers} slots while ${busy} were busy`);
      running.set(e.number, e.trainWorkers);
    } else if (e.type === 'trial-end') running.delete(e.number);
  }
  for (const t of r.trials) {
    assert.equal(t.userAttrs['train_workers'], held.get(t.number), `trial ${t.number}`);
    assert.ok(Number.isFinite(t.value));
  }
});

/** Threads of this process (Linux): the main thread, V8's and libuv's, and every worker thread. */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

test('an interrupted trial on 2 train workers stops, is stored INTERRUPTED, and leaves no replica thread behind', async () => {
  await readFile(fileURLToPath(import.meta.url)); // libuv's thread pool starts at its first use: before the count
  const idle = threadCount();
  const stop = new AbortController();
  let most = idle;
  const r = await study({
    name: 'dp-interrupted', nTrials: 1, maxTrainWorkers: 64, epochs: 200, signal: stop.signal,
    onEvent: (e) => {
      most = Math.max(most, threadCount());
      if (e.type === 'trial-progress' && (e.progress.batch ?? 0) >= 1) stop.abort('SIGINT');
    },
  });
  const t = r.trials[0];
  assert.equal(t.state, 'FAIL');
  assert.equal(t.error?.code, 'INTERRUPTED', t.error?.message);
  assert.equal(t.userAttrs['train_workers'], 2);
  assert.ok(most > idle, `the replica's thread ran (${most} threads at most, ${idle} idle)`);
  for (let waited = 0; threadCount() > idle && waited < 10_000; waited += 100) await sleep(100);
  assert.ok(threadCount() <= idle, `the replica thread ended with its trial (${threadCount()} threads, ${idle} before it)`);
});
