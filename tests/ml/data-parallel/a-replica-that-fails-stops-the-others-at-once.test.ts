import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createExchange } from '../../../src/ml/data-parallel/gradient-exchange.js';

const REPLICA = new URL('./replica.js', import.meta.url);
const N_PARAMS = 3 * 32 + 32 + 32 + 1;

function replica(data: Record<string, unknown>): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(REPLICA, { workerData: { modelSeed: 9, ...data } });
    w.once('message', (m: { ok: boolean; error?: string }) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

test('a replica that throws mid-training stops its partner at the next exchange with an error naming it (not a barrier timeout)', async () => {
  const layout = createExchange(2, N_PARAMS);
  // A 10-minute barrier timeout: a timeout would end it with another message; only the abort gives this one.
  const [a, b] = await Promise.all([
    replica({ layout, rank: 0, shards: 2, timeoutMs: 600_000 }),
    replica({ layout, rank: 1, shards: 2, timeoutMs: 600_000, failAt: 3 }),
  ]);
  assert.equal(b.ok, false);
  assert.match(b.error ?? '', /replica 1 broke at step 3/);
  assert.equal(a.ok, false);
  assert.match(a.error ?? '', /train workers: replica 1 failed, so replica 0 stopped at the gradient exchange \(step 4\); see replica 1's error/);
});
