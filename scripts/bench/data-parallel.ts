/**
 * Data-parallel training speed: the cllm GPT (4 layers, 4 heads, n_embd 128, block 64, batch 12) trained by one
 * worker thread on whole batches, then by N worker threads on 12/N windows each with gradients averaged through a
 * SharedArrayBuffer (src/ml/data-parallel/), in one run. Reports steps/s (wall), the speed-up, the largest per-step
 * loss difference from the single worker, and whether the replicas ended bit-identical.
 *
 *   npx tsc -p tsconfig.json && nice -n 10 node dist/scripts/bench/data-parallel.js [--workers 2 --steps 40 \
 *     --warmup 3 --seed 42 --datasets datasets]
 *
 * PARZEN_NATIVE_THREADS defaults to 1 (one BLAS thread per replica); PARZEN_NATIVE=0 measures the wasm kernels.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createExchange } from '../../src/ml/data-parallel/gradient-exchange.js';
import { ensureCorpusDataset } from '../../src/subsystems/cllm/dataset/prepare.js';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    steps: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
    datasets: { type: 'string', default: 'datasets' },
  },
});
const nWorkers = Number(values.workers);
const dir = join(values.datasets ?? 'datasets', 'cllm');
await ensureCorpusDataset(dir, { seed: 42 });
const BATCH = 12;
if (BATCH % nWorkers !== 0) throw new Error(`--workers ${nWorkers} must divide the batch of ${BATCH}`);

interface Outcome {
  matmul: string;
  losses: number[];
  wallSeconds: number;
  cpuSeconds: number;
  checksum: number;
}

function runReplicas(n: number): Promise<Outcome[]> {
  const layout = n === 1 ? null : createExchange(n, 0 + paramCount);
  const job = { layout, nWorkers: n, steps: Number(values.steps), warmup: Number(values.warmup), batch: BATCH, seed: Number(values.seed), dir };
  return Promise.all(
    Array.from({ length: n }, (_, rank) => new Promise<Outcome>((resolve, reject) => {
      const w = new Worker(new URL('./data-parallel-replica.js', import.meta.url), { workerData: { ...job, rank } });
      w.once('message', (m: Outcome) => {
        resolve(m);
        void w.terminate();
      });
      w.once('error', reject);
    })),
  );
}

// The GPT's parameter count at this setting with the corpus's vocabulary (wte V×C + wpe T×C + 4 blocks + final LN).
const vocab = (await import('node:fs')).readFileSync(join(dir, 'vocab.json'), 'utf8');
const V = (JSON.parse(vocab) as { chars: string[] }).chars.length;
const C = 128;
const perBlock = 2 * C + C * 3 * C + 3 * C + C * C + C + 2 * C + C * 4 * C + 4 * C + 4 * C * C + C;
const paramCount = V * C + 64 * C + 4 * perBlock + 2 * C;

const [one] = await runReplicas(1);
const many = await runReplicas(nWorkers);
const steps = Number(values.steps);
const sps = (o: Outcome): number => steps / o.wallSeconds;
const maxLossDiff = Math.max(...one.losses.map((l, i) => Math.abs(l - many[0].losses[i])));
console.log(JSON.stringify({
  matmul: one.matmul, batch: BATCH, steps, workers: nWorkers,
  one: { stepsPerSec: sps(one), cpuSeconds: one.cpuSeconds, lastLoss: one.losses.at(-1) },
  many: { stepsPerSec: sps(many[0]), cpuSeconds: many.reduce((s, o) => s + o.cpuSeconds, 0), lastLoss: many[0].losses.at(-1) },
  speedup: sps(many[0]) / sps(one),
  maxLossDiff,
  replicasIdentical: many.every((o) => o.checksum === many[0].checksum),
}, null, 2));
