/**
 * parzen's cllm against PyTorch 1.13 on the same corpus and configuration, in one run: nanoGPT's CPU
 * character-level setting (4 layers, 4 heads, n_embd 128, block 64, batch 12, lr 1e-3, warmup 100 then cosine to
 * 1e-4, AdamW with decay 0.1 on 2-D weights, clipping 1.0, dropout 0) for `--steps` iterations on one thread each.
 * Reports steps/s, tokens/s and the validation loss (the same 192 evenly spaced windows) after the same steps.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/cllm-vs-pytorch.js [--steps 2000 --seed 42 \
 *     --datasets datasets --python /usr/bin/python3 --train-workers 1 --warmup-steps 1]
 *
 * --warmup-steps K: the first K steps are not timed (default 1: the first step warms up the wasm kernels). With
 * several train workers each worker thread's isolate also compiles its hot code during the first steps, on V8's
 * helper threads beside the replicas; a larger K shows the steady state.
 *
 * CPU seconds are the whole process's (every train worker thread included).
 *
 * Builds datasets/cllm (Moby Dick) when it is missing; the peer reads the same token files.
 */
import { spawnSync } from 'node:child_process';
import { machineCpuMs, threadCpuBetween, threadCpuSnapshot } from './thread-cpu.js';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/ml/backend.js';
import { ensureCorpusDataset } from '../../src/subsystems/cllm/dataset/prepare.js';
import { cllmEngine } from '../../src/subsystems/cllm/engine.js';
import { parseHyperparams } from '../../src/subsystems/cllm/hyperparams.js';
import cllm from '../../src/subsystems/cllm/index.js';
import { trainModel } from '../../src/subsystems/harness.js';
import { subsystemModule } from '../../src/subsystems/registry.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    datasets: { type: 'string', default: 'datasets' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'skip-peer': { type: 'boolean', default: false },
    'peer-threads': { type: 'string', default: '1' },
    'train-workers': { type: 'string', default: '1' },
    'warmup-steps': { type: 'string', default: '1' },
  },
});
const peerThreads = values['peer-threads'] ?? '1';
const steps = Number(values.steps);
const warmupSteps = Number(values['warmup-steps']);
if (!(Number.isInteger(warmupSteps) && warmupSteps >= 1 && warmupSteps < steps)) {
  process.stderr.write(`--warmup-steps: expected an integer from 1 to --steps − 1 (${steps - 1}), got ${values['warmup-steps']}\n`);
  process.exit(2);
}
const datasetsDir = values.datasets ?? 'datasets';
const dir = join(datasetsDir, 'cllm');
await ensureCorpusDataset(dir, { seed: 42 });

const params = { ...cllm.defaults.full, dropout: 0, steps_per_epoch: steps, warmup: Math.min(100, Math.floor(steps / 20)) / steps, backend: 'wasm' };
const hp = parseHyperparams(params);
// --train-workers N: the same training split across N worker threads (what `tune train --train-workers N` runs).
const trainWorkers = Number(values['train-workers']);
const replicas = { count: trainWorkers, subsystem: 'cllm', moduleUrl: subsystemModule('cllm'), params, datasetsDir };
const losses: number[] = [];
const { backend, matmul } = await initBackend('wasm');
const data = await cllmEngine.loadData(datasetsDir, hp);
let first = 0;
let last = 0;
let cpuFirst = process.cpuUsage();
let cpuLast = process.cpuUsage();
// Each thread's CPU and the machine's over the timed steps (read at the first and the last timed step only: reading
// /proc allocates), to tell the training threads from V8's helpers and from other processes (issue 17, session 29).
let threadsFirst = threadCpuSnapshot();
let threadsLast = threadsFirst;
let machineFirst = machineCpuMs();
let machineLast = machineFirst;
const { model, result } = await trainModel({
  engine: cllmEngine, hp, data, epochs: 1, batchCap: null, seed: Number(values.seed), mode: 'full',
  ...(trainWorkers > 1 ? { replicas } : {}),
  onStep: (s) => {
    losses.push(s.loss);
    if (s.step === warmupSteps - 1) {
      first = performance.now();
      cpuFirst = process.cpuUsage();
      threadsFirst = threadCpuSnapshot();
      machineFirst = machineCpuMs();
    }
    last = performance.now();
    cpuLast = process.cpuUsage();
    if (s.step === steps - 1) {
      threadsLast = threadCpuSnapshot();
      machineLast = machineCpuMs();
    }
    if (s.step % 100 === 0) process.stderr.write(`parzen step ${s.step}: loss ${s.loss.toFixed(4)} lr ${s.lr.toExponential(2)}\n`);
  },
});
model.dispose();
// Steps K..n-1 (the first includes warm-up of the wasm kernels; --warmup-steps K).
const timedSteps = steps - warmupSteps;
const seconds = (last - first) / 1000;
const cpuSeconds = (cpuLast.user + cpuLast.system - cpuFirst.user - cpuFirst.system) / 1e6;
const tokensPerStep = hp.batchSize * hp.blockSize;
// The train_workers busiest threads are the replicas; the rest are V8's helpers, libuv and the like.
const threadMs = Object.values(threadCpuBetween(threadsFirst, threadsLast, String)).sort((a, b) => b - a);
const threads = {
  training_threads_cpu_ms_per_step: threadMs.slice(0, trainWorkers).map((ms) => ms / timedSteps),
  other_threads_cpu_ms_per_step: threadMs.slice(trainWorkers).reduce((a, b) => a + b, 0) / timedSteps,
  // The machine's busy CPU less this process's over the timed steps (10 ms resolution): what else ran meanwhile.
  other_processes_cpu_s: (machineLast.busyMs - machineFirst.busyMs) / 1000 - cpuSeconds,
  steal_s: (machineLast.stealMs - machineFirst.stealMs) / 1000,
};
const parzen = {
  backend, matmul, train_workers: trainWorkers, steps, train_seconds: seconds, warmup_steps: warmupSteps, steps_per_s: timedSteps / seconds, cpu_seconds: cpuSeconds, steps_per_cpu_s: timedSteps / cpuSeconds, tokens_per_s: (timedSteps * tokensPerStep) / seconds,
  val_loss: result.bestValLoss, unigram_nats: data.unigramNats, ...threads, losses,
};
let peer: Record<string, number | string> | null = null;
if (values['skip-peer'] !== true) {
  const script = resolve('scripts/bench/peers/torch_cllm.py');
  const r = spawnSync(values.python ?? '/usr/bin/python3', [script, '--dir', dir, '--steps', String(steps), '--seed', String(values.seed), '--threads', peerThreads, '--warmup', String(Math.round(hp.warmup * steps))], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: peerThreads, OPENBLAS_NUM_THREADS: peerThreads, MKL_NUM_THREADS: peerThreads, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  if (r.status !== 0) throw new Error(`peer failed: ${r.stderr}`);
  peer = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string>;
}
const ratio = (a: number, b: unknown): number | null => (typeof b === 'number' ? a / b : null);
console.log(JSON.stringify({
  config: { n_layer: hp.nLayer, n_head: hp.nHead, n_embd: hp.nEmbd, block_size: hp.blockSize, batch_size: hp.batchSize, lr: hp.learningRate, steps },
  parzen, peer,
  ratios: { steps_per_s: ratio(parzen.steps_per_s, peer?.['steps_per_s']), val_loss: ratio(parzen.val_loss, peer?.['val_loss']) },
}, null, 2));
