import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createExchange, type ExchangeLayout } from '../../../src/ml/data-parallel/gradient-exchange.js';

/**
 * Data-parallel training on real worker threads: two replicas, each on half of every batch, averaging gradients
 * through one SharedArrayBuffer, against one worker on whole batches.
 */

interface Outcome {
  ok: boolean;
  error?: string;
  losses: number[];
  weightNorms: number[];
  valLosses: number[];
  checksum: number;
  weights: number[];
}

const REPLICA = new URL('./replica.js', import.meta.url);
const N_PARAMS = 3 * 32 + 32 + 32 + 1; // the fixture's MLP: 3 → 32 → 1

function replica(data: { layout: ExchangeLayout | null; rank: number; shards: number; modelSeed?: number; timeoutMs?: number; backend?: 'wasm' | 'cpu' }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const w = new Worker(REPLICA, { workerData: { modelSeed: 9, ...data } });
    w.once('message', (m: Outcome) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

test('two replicas on half batches follow one worker on whole batches, and stay bit-identical', async () => {
  const single = await replica({ layout: null, rank: 0, shards: 1 });
  const layout = createExchange(2, N_PARAMS);
  const [a, b] = await Promise.all([replica({ layout, rank: 0, shards: 2 }), replica({ layout, rank: 1, shards: 2 })]);
  for (const r of [single, a, b]) assert.equal(r.ok, true, r.error);
  assert.equal(a.checksum, b.checksum, 'replicas bit-identical');
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.losses, b.losses, 'both replicas see the same averaged loss');
  // The weight norm after each update, from the replicas' partial sums over their ranges of the shared weights.
  assert.deepEqual(a.weightNorms, b.weightNorms, 'both replicas compute the same weight norm');
  assert.equal(a.losses.length, single.losses.length);
  // The mean of two half-batch gradients is the whole-batch gradient up to float summation order.
  for (let i = 0; i < single.losses.length; i++) {
    assert.ok(Math.abs(a.losses[i] - single.losses[i]) <= 1e-4 * Math.max(1, Math.abs(single.losses[i])), `step ${i}: ${a.losses[i]} vs ${single.losses[i]}`);
  }
  for (let i = 0; i < single.weightNorms.length; i++) {
    assert.ok(Math.abs(a.weightNorms[i] - single.weightNorms[i]) <= 1e-5 * single.weightNorms[i], `step ${i}: weight norm ${a.weightNorms[i]} vs ${single.weightNorms[i]}`);
  }
  for (let e = 0; e < 2; e++) assert.ok(Math.abs(a.valLosses[e] - single.valLosses[e]) < 1e-4, `epoch ${e} val`);
  const maxDiff = Math.max(...a.weights.map((w, i) => Math.abs(w - single.weights[i])));
  assert.ok(maxDiff < 1e-4, `weights differ from the single worker's by ${maxDiff}`);
});

test('on the cpu backend too (weights loaded from copies, not heap views), two replicas follow one worker and stay bit-identical', async () => {
  const single = await replica({ layout: null, rank: 0, shards: 1, backend: 'cpu' });
  const layout = createExchange(2, N_PARAMS);
  const [a, b] = await Promise.all([replica({ layout, rank: 0, shards: 2, backend: 'cpu' }), replica({ layout, rank: 1, shards: 2, backend: 'cpu' })]);
  for (const r of [single, a, b]) assert.equal(r.ok, true, r.error);
  assert.deepEqual(a.weights, b.weights);
  const maxDiff = Math.max(...a.weights.map((w, i) => Math.abs(w - single.weights[i])));
  assert.ok(maxDiff < 1e-4, `weights differ from the single worker's by ${maxDiff}`);
  assert.deepEqual(a.losses, b.losses);
  // One worker on cpu runs Adam as tf ops, the replicas the host arithmetic: the same curve up to rounding.
  for (let i = 0; i < single.losses.length; i++) assert.ok(Math.abs(a.losses[i] - single.losses[i]) <= 1e-4 * Math.max(1, Math.abs(single.losses[i])), `step ${i}`);
});

test('replicas that start from different weights are caught by the replica check, naming the one that differs', async () => {
  const layout = createExchange(2, N_PARAMS);
  const [a, b] = await Promise.all([replica({ layout, rank: 0, shards: 2 }), replica({ layout, rank: 1, shards: 2, modelSeed: 10 })]);
  for (const r of [a, b]) {
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /replica 1's weights differ from replica 0's before the first step .*the replicas diverged/);
  }
});

test('a replica whose partner never arrives fails with a timeout naming the step, instead of hanging', async () => {
  const layout = createExchange(2, N_PARAMS);
  const r = await replica({ layout, rank: 0, shards: 2, timeoutMs: 500 });
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /replica 0 waited 500 ms at the replica check \(step 0\) for the others; one of them stopped/);
});
