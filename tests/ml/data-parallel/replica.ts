/**
 * One replica of the data-parallel tests, run on a real worker thread: the MLP regression fixture, each batch of 16
 * cut into `shards` equal row ranges of which this replica trains on number `rank`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../../../src/ml/backend.js';
import { GradientExchange, weightChecksum, type ExchangeLayout } from '../../../src/ml/data-parallel/gradient-exchange.js';
import { train } from '../../../src/ml/train-loop.js';
import { regressionTask, type Batch } from '../fixtures.js';

interface ReplicaData {
  readonly layout: ExchangeLayout | null;
  readonly rank: number;
  readonly shards: number;
  readonly modelSeed: number;
  readonly timeoutMs?: number;
  /** The tfjs backend (default wasm; cpu runs the sharded update's non-heap paths). */
  readonly backend?: 'wasm' | 'cpu';
  /** Throw from this replica's onStep at this step (a replica that fails mid-training). */
  readonly failAt?: number;
}

const d = workerData as ReplicaData;
const { tf } = await initBackend(d.backend ?? 'wasm');
const task = regressionTask(tf, { seed: 9, nTrain: 128, nVal: 32, batchSize: 16 });
if (d.modelSeed !== 9) {
  // a replica started from other weights: what the replica check must catch
  for (const v of task.model.variables) v.assign(tf.add(v, 1e-3));
}
const rows = 16 / d.shards;
const trainBatches = function* (epoch: number): Generator<Batch> {
  for (const b of task.base.trainBatches(epoch)) yield { x: tf.slice(b.x, [d.rank * rows, 0], [rows, -1]), y: tf.slice(b.y, [d.rank * rows, 0], [rows, -1]) };
};
const losses: number[] = [];
const weightNorms: number[] = [];
try {
  const result = await train({
    ...task.base, trainBatches, epochs: 2, batchCap: null, learningRate: 3e-3, warmupSteps: 4, clipNorm: 0.5,
    onStep: (s) => {
      if (s.step === d.failAt) throw new Error(`replica ${d.rank} broke at step ${s.step}`);
      losses.push(s.loss);
      weightNorms.push(s.weightNorm);
    },
    ...(d.layout === null ? {} : { dataParallel: { exchange: new GradientExchange(d.layout, d.rank, { timeoutMs: d.timeoutMs ?? 60_000 }) } }),
  });
  const flat = Float32Array.from(task.model.variables.flatMap((v) => Array.from(v.dataSync())));
  parentPort?.postMessage({ ok: true, losses, weightNorms, valLosses: result.epochs.map((e) => e.valLoss), checksum: weightChecksum(flat), weights: Array.from(flat) });
} catch (e) {
  parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
}
