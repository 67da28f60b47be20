/**
 * One replica of scripts/bench/data-parallel.ts, on a worker thread: the cllm GPT at nanoGPT's CPU character
 * setting, trained on rows [rank·B/n, (rank+1)·B/n) of every batch of B windows (the same windows on every replica),
 * gradients averaged through the shared exchange and the AdamW update sharded (each replica its range of the
 * parameters, weights shared back) when there is more than one replica, as `train` does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Adam } from '../../src/ml/adam.js';
import { initBackend } from '../../src/ml/backend.js';
import { GradientExchange, weightChecksum, type ExchangeLayout } from '../../src/ml/data-parallel/gradient-exchange.js';
import { replicaStep, startShardedUpdate } from '../../src/ml/data-parallel/replica-step.js';
import { windowBatch } from '../../src/subsystems/cllm/batches.js';
import { GptModel } from '../../src/subsystems/cllm/model/gpt.js';
import { Rng } from '../../src/util/rng.js';

interface Job {
  readonly layout: ExchangeLayout | null;
  readonly rank: number;
  readonly nWorkers: number;
  readonly steps: number;
  readonly warmup: number;
  readonly batch: number;
  readonly seed: number;
  readonly dir: string;
}

const job = workerData as Job;
const { tf, matmul } = await initBackend('wasm');
const ids = new Uint16Array(readFileSync(join(job.dir, 'train.u16')).buffer.slice(0));
const vocab = (JSON.parse(readFileSync(join(job.dir, 'vocab.json'), 'utf8')) as { chars: string[] }).chars.length;
const T = 64;
const model = new GptModel({ vocabSize: vocab, blockSize: T, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0 }, job.seed);
const adamOptions = { weightDecay: 0.1, decays: (v: { shape: readonly number[] }) => v.shape.length === 2 };
const adam = new Adam(tf, adamOptions);
const exchange = job.layout === null ? null : new GradientExchange(job.layout, job.rank);
const sharded = exchange === null ? null : startShardedUpdate(tf, exchange, model.variables, adamOptions);
const rng = new Rng(job.seed, 0, 3);
const rows = job.batch / job.nWorkers;
const losses: number[] = [];
let t0 = 0;
let c0 = process.cpuUsage();
for (let step = 0; step < job.warmup + job.steps; step++) {
  if (step === job.warmup) {
    t0 = performance.now();
    c0 = process.cpuUsage();
  }
  const starts = Array.from({ length: job.batch }, () => rng.int(ids.length - T - 1));
  const batch = windowBatch(ids, starts.slice(job.rank * rows, (job.rank + 1) * rows), T);
  tf.tidy(() => {
    const vars = [...model.variables];
    if (exchange !== null && sharded !== null) {
      const s = replicaStep(tf, batch, {
        model, dp: { exchange }, update: sharded, variables: vars, lr: 1e-3, clipNorm: null, profile: undefined, beforeUpdate: () => undefined,
      });
      losses.push(s.loss);
      return;
    }
    const local = tf.variableGrads(() => model.loss(batch, true), vars);
    adam.apply(vars.map((v) => ({ variable: v, grad: local.grads[v.name] })), 1e-3);
    losses.push(local.value.dataSync()[0]);
  });
}
const wallSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const flat = Float32Array.from(model.variables.flatMap((v) => Array.from(v.dataSync())));
parentPort?.postMessage({ matmul, losses, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, checksum: weightChecksum(flat) });
