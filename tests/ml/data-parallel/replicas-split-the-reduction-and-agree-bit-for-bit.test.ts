import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createExchange, type ExchangeLayout } from '../../../src/ml/data-parallel/gradient-exchange.js';

/**
 * The reduction is split among the replicas (each computes its range of the mean into shared memory): every
 * replica must still get the whole mean, bit for bit the same, weighted by the shares' example counts and summed
 * in rank order in double precision, over consecutive steps through the same single-buffered slots. The mean's
 * sum of squares comes from the replicas' partial sums over their own ranges, added in rank order.
 */

type Step = { grad: number[]; loss: number; examples: number };
type Result = Array<{ grad: number[]; loss: number; sumOfSquares: number }>;

function replica(layout: ExchangeLayout, rank: number, steps: Step[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./exchange-replica.js', import.meta.url), { workerData: { layout, rank, steps } });
    w.once('message', (m: Result) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** A float32-representable pseudo-random gradient (so what the replica stores is exactly what we sum). */
function gradient(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 7.31 + i * 1.7) * 3.3));
}

test('three replicas over 7 parameters (uneven ranges) get the same weighted mean, whatever replica computed each element', async () => {
  const P = 7;
  const counts = [[3, 2, 0], [1, 1, 1]];
  const steps = [0, 1, 2].map((r) => counts.map((c, t) => ({ grad: gradient(10 * t + r, P), loss: Math.fround(1 + r + t / 4), examples: c[r] })));
  const layout = createExchange(3, P);
  const results = await Promise.all([0, 1, 2].map((r) => replica(layout, r, steps[r])));
  for (let t = 0; t < counts.length; t++) {
    const total = counts[t].reduce((a, b) => a + b, 0);
    const expected = Array.from({ length: P }, (_, i) => {
      let acc = 0;
      for (let r = 0; r < 3; r++) acc += steps[r][t].grad[i] * counts[t][r];
      return Math.fround(acc * (1 / total));
    });
    let loss = 0;
    for (let r = 0; r < 3; r++) loss += steps[r][t].loss * counts[t][r];
    // The squares summed over each replica's range ([0, 2), [2, 4), [4, 7) for 7 over 3), then the ranges in order.
    const ranges = [[0, 2], [2, 4], [4, 7]];
    const sumOfSquares = ranges.map(([lo, hi]) => expected.slice(lo, hi).reduce((s, m) => s + m * m, 0)).reduce((a, b) => a + b, 0);
    assert.ok(sumOfSquares > 0);
    for (let r = 0; r < 3; r++) {
      assert.deepEqual(results[r][t].grad, expected, `replica ${r}, step ${t}`);
      assert.ok(Object.is(results[r][t].sumOfSquares, sumOfSquares), `replica ${r}, step ${t}: sum of squares ${results[r][t].sumOfSquares} vs ${sumOfSquares}`);
      assert.equal(results[r][t].loss, Math.fround(loss / total), `replica ${r}, step ${t} loss`);
    }
  }
});
