/**
 * One replica of the exchange test, on a real worker thread: two steps of `allReduceMean` over given gradients.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GradientExchange, type ExchangeLayout } from '../../../src/ml/data-parallel/gradient-exchange.js';

interface ExchangeReplicaData {
  readonly layout: ExchangeLayout;
  readonly rank: number;
  /** Per step: this replica's gradient, loss and example count. */
  readonly steps: ReadonlyArray<{ readonly grad: readonly number[]; readonly loss: number; readonly examples: number }>;
}

const d = workerData as ExchangeReplicaData;
const exchange = new GradientExchange(d.layout, d.rank, { timeoutMs: 60_000 });
// Copied out at once: the mean is a view of shared memory that the next step rewrites.
const results = d.steps.map((s) => {
  const mean = exchange.allReduceMean(Float32Array.from(s.grad), s.loss, s.examples);
  return { grad: Array.from(mean.grad), loss: mean.loss, sumOfSquares: mean.sumOfSquares };
});
parentPort?.postMessage(results);
