/**
 * Training steps per second of the optimizer's graph attention network in parzen (TensorFlow.js, wasm backend,
 * one thread) against the same architecture in PyTorch (scripts/bench/peers/torch_gat.py, CPU, one thread),
 * on the same packed batches and from the same initial weights, in one run.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/gnn-steps.js [--hidden 384 --layers 8 --heads 8 \
 *     --batch-size 4 --steps 8 --warmup 2 --circuits 64 --seed 42 --python /usr/bin/python3]
 *
 * Circuits come from datasets/optimizer/train.h5 when it exists, else are generated (default ~250-node shape).
 * Both sides first compute the evaluation-mode loss of batch 0 with the shared initial weights: the two must
 * agree (same maths), which checks the port before its speed is compared. Wall and CPU time per step are both
 * reported; on a shared machine CPU time is the steadier of the two.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Adam } from '../../src/ml/adam.js';
import { initBackend } from '../../src/ml/backend.js';
import { batches, EDGE_INPUT_DIM, type GraphBatch } from '../../src/subsystems/optimizer/batching.js';
import { buildSplit, createLabeller } from '../../src/subsystems/optimizer/dataset/index.js';
import { readSplit } from '../../src/subsystems/optimizer/dataset/hdf5-split.js';
import { featureStats, GRAPH_INPUT_DIM, prepareSplit } from '../../src/subsystems/optimizer/feature-stats.js';
import { GatModel } from '../../src/subsystems/optimizer/model/gat-model.js';
import { exportBatches } from './gnn-export.js';

const { values } = parseArgs({
  options: {
    hidden: { type: 'string', default: '384' },
    layers: { type: 'string', default: '8' },
    heads: { type: 'string', default: '8' },
    'batch-size': { type: 'string', default: '4' },
    steps: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    circuits: { type: 'string', default: '64' },
    dropout: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '42' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'peer-threads': { type: 'string', default: '1' },
    // ACTIVE (or '' to leave it unset) only to reproduce runs made before PASSIVE was the rule.
    'peer-wait-policy': { type: 'string', default: 'PASSIVE' },
    'skip-peer': { type: 'boolean', default: false },
  },
});
const peerThreads = values['peer-threads'] ?? '1';
const hidden = Number(values.hidden);
const layers = Number(values.layers);
const heads = Number(values.heads);
const batchSize = Number(values['batch-size']);
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const seed = Number(values.seed);
const LR = 1e-4;

async function loadBatches(): Promise<GraphBatch[]> {
  const path = 'datasets/optimizer/train.h5';
  const split = existsSync(path)
    ? await readSplit(path)
    : buildSplit({ nCircuits: Number(values.circuits), seed, split: 'train', labeller: createLabeller() });
  const prepared = prepareSplit(split, featureStats(split));
  const all: GraphBatch[] = [];
  for (const b of batches(prepared, { batchSize, seed, epoch: 0, shuffle: true })) {
    if (all.length === warmup + steps) break;
    all.push(b);
  }
  if (all.length < warmup + steps) throw new Error(`need ${warmup + steps} batches of ${batchSize}, the split gives ${all.length}; raise --circuits`);
  return all;
}

interface StepTimes {
  readonly wallPerStepMs: number;
  readonly cpuPerStepMs: number;
  readonly evalLoss0: number;
  readonly lastLoss: number;
}

async function timeTfjs(model: GatModel, data: readonly GraphBatch[]): Promise<StepTimes> {
  const { tf } = await initBackend('wasm');
  const evalLoss0 = tf.tidy(() => model.loss(data[0], false).dataSync()[0]);
  const adam = new Adam(tf);
  const step = (b: GraphBatch): number =>
    tf.tidy(() => {
      const vars = [...model.variables];
      const { value, grads } = tf.variableGrads(() => model.loss(b, true), vars);
      adam.apply(vars.map((v) => ({ variable: v, grad: grads[v.name] })), LR);
      return value.dataSync()[0];
    });
  for (let i = 0; i < warmup; i++) step(data[i]);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let lastLoss = Number.NaN;
  for (let i = warmup; i < warmup + steps; i++) lastLoss = step(data[i]);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  adam.dispose();
  return { wallPerStepMs: wall / steps, cpuPerStepMs: (cpu.user + cpu.system) / 1000 / steps, evalLoss0, lastLoss };
}

function timeTorch(dir: string): StepTimes & { torchVersion: string; threads: number } {
  const peer = join(process.cwd(), 'scripts/bench/peers/torch_gat.py');
  const r = spawnSync(values.python ?? '/usr/bin/python3', [peer, '--dir', dir, '--steps', String(steps), '--warmup', String(warmup), '--lr', String(LR), '--threads', peerThreads], {
    encoding: 'utf8',
    // torch.set_num_threads does not reach Debian's OpenBLAS (pthreads), which would otherwise use every core;
    // PASSIVE keeps idle OpenMP threads from spinning on a shared machine.
    env: { ...process.env, OPENBLAS_NUM_THREADS: peerThreads, OMP_NUM_THREADS: peerThreads, ...(values['peer-wait-policy'] === '' ? {} : { OMP_WAIT_POLICY: values['peer-wait-policy'] }) },
  });
  if (r.status !== 0) throw new Error(`torch peer failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as StepTimes & { torchVersion: string; threads: number };
}

const data = await loadBatches();
const { matmul } = await initBackend('wasm');
const model = new GatModel(
  { hiddenDim: hidden, numLayers: layers, numHeads: heads, dropout: Number(values.dropout), nodeInputDim: 12, edgeInputDim: EDGE_INPUT_DIM, graphInputDim: GRAPH_INPUT_DIM, outputDim: 6 },
  seed,
);
const dir = mkdtempSync(join(tmpdir(), 'parzen-gnn-bench-'));
try {
  exportBatches(dir, model, data);
  const torch = values['skip-peer'] === true ? null : timeTorch(dir);
  const tfjs = await timeTfjs(model, data);
  const nodes = data.reduce((s, b) => s + b.nNodes, 0) / data.length;
  const edges = data.reduce((s, b) => s + b.nEdges, 0) / data.length;
  const report = {
    arch: { hidden, layers, heads, batchSize, dropout: Number(values.dropout) },
    batches: { steps, warmup, meanNodes: Math.round(nodes), meanEdges: Math.round(edges) },
    parity: torch === null ? null : { tfjsEvalLoss0: tfjs.evalLoss0, torchEvalLoss0: torch.evalLoss0, relDiff: Math.abs(tfjs.evalLoss0 - torch.evalLoss0) / Math.abs(torch.evalLoss0) },
    tfjsWasm: { matmul, stepsPerSecWall: 1000 / tfjs.wallPerStepMs, stepsPerSecCpu: 1000 / tfjs.cpuPerStepMs, evalLoss0: tfjs.evalLoss0, lastLoss: tfjs.lastLoss },
    torch: torch === null ? null : { version: torch.torchVersion, threads: torch.threads, stepsPerSecWall: 1000 / torch.wallPerStepMs, stepsPerSecCpu: 1000 / torch.cpuPerStepMs, lastLoss: torch.lastLoss },
    ratioWall: torch === null ? null : torch.wallPerStepMs / tfjs.wallPerStepMs,
    ratioCpu: torch === null ? null : torch.cpuPerStepMs / tfjs.cpuPerStepMs,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
}
