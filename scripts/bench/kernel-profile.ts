/**
 * Where one training step's time goes: every kernel the wasm backend runs during forward + backward is counted and
 * timed by name in CPU time (a wrapper around each registered kernel function), and the step's CPU time outside all kernels is
 * reported as dispatch. Two models: the cllm transformer at nanoGPT's CPU char setting and the optimizer's GAT.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/kernel-profile.js [--model cllm|gat --hidden 128 \
 *     --layers 3 --heads 4 --steps 3 --top 25 --batch 12 --graphs 4 --by-shape]
 *
 * --by-shape keys each kernel by its input shapes and transpose flags too (which product, which gather is slow).
 *
 * Host-side custom ops (gathers on the host, max over rows) do not run as kernels: their time is in "outside".
 */
import { parseArgs } from 'node:util';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '../../src/ml/backend.js';
import { GptModel, type TokenBatch } from '../../src/subsystems/cllm/model/gpt.js';
import { batches, EDGE_INPUT_DIM, type GraphBatch } from '../../src/subsystems/optimizer/batching.js';
import { buildSplit, createLabeller } from '../../src/subsystems/optimizer/dataset/index.js';
import { featureStats, GRAPH_INPUT_DIM, prepareSplit } from '../../src/subsystems/optimizer/feature-stats.js';
import { GatModel } from '../../src/subsystems/optimizer/model/gat-model.js';
import { Rng } from '../../src/util/rng.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'cllm' },
    hidden: { type: 'string', default: '128' },
    layers: { type: 'string', default: '3' },
    heads: { type: 'string', default: '4' },
    steps: { type: 'string', default: '3' },
    top: { type: 'string', default: '25' },
    // cllm windows per step (12: nanoGPT's batch; 6: one of two train workers' share)
    batch: { type: 'string', default: '12' },
    'by-shape': { type: 'boolean', default: false },
    // gat circuits per step (4: the whole batch; 2: one of two train workers' share)
    graphs: { type: 'string', default: '4' },
  },
});

interface Tally {
  count: number;
  ms: number;
}
const tallies = new Map<string, Tally>();
let counting = false;

/** The tally's key: the kernel's name, with --by-shape its input shapes and transpose flags. */
function keyOf(name: string, args: Parameters<KernelFunc>[0]): string {
  if (values['by-shape'] !== true) return name;
  const shapes = Object.values(args.inputs).map((t) => `[${t?.shape.join(',') ?? ''}]`).join(' ');
  const flags = ['transposeA', 'transposeB'].map((f) => (args.attrs?.[f] === true ? 'T' : '-')).join('');
  return `${name} ${shapes}${name === 'BatchMatMul' ? ` ${flags}` : ''}`;
}

/** Puts every registered wasm kernel behind a timer; the native BatchMatMul, if registered, is timed too. */
function wrapKernels(tf: Tf): void {
  for (const config of tf.getKernelsForBackend('wasm') as KernelConfig[]) {
    const inner = config.kernelFunc;
    const name = config.kernelName;
    const timed = ((args: Parameters<KernelFunc>[0]) => {
      if (!counting) return inner(args);
      const c0 = process.cpuUsage();
      try {
        return inner(args);
      } finally {
        const c = process.cpuUsage(c0);
        const key = keyOf(name, args);
        const t = tallies.get(key) ?? { count: 0, ms: 0 };
        t.count++;
        t.ms += (c.user + c.system) / 1000;
        tallies.set(key, t);
      }
    }) as KernelFunc;
    // Patched in place, not re-registered: nativeMatMulActive compares the registered config by identity.
    (config as { kernelFunc: KernelFunc }).kernelFunc = timed;
  }
}

function cllmStep(tf: Tf): () => { dispose(): void } {
  const config = { vocabSize: 65, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0 };
  const model = new GptModel(config, 42);
  const rng = new Rng(7, 1);
  const windows = Number(values.batch);
  const n = windows * 64;
  const tokens = Int32Array.from({ length: n }, () => rng.int(65));
  const targets = Int32Array.from({ length: n }, () => rng.int(65));
  const batch: TokenBatch = { batch: windows, time: 64, tokens, targets };
  return () => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, true), [...model.variables]);
    tf.dispose(grads);
    return value;
  };
}

function gatStep(tf: Tf): () => { dispose(): void } {
  const split = buildSplit({ nCircuits: 16, seed: 42, split: 'train', labeller: createLabeller() });
  const prepared = prepareSplit(split, featureStats(split));
  const graphs = Number(values.graphs);
  if (!Number.isSafeInteger(graphs) || graphs < 1 || graphs > 16) throw new Error(`--graphs: expected 1…16 circuits, got '${values.graphs}'`);
  const first = batches(prepared, { batchSize: graphs, seed: 42, epoch: 0, shuffle: true }).next().value as GraphBatch;
  const model = new GatModel(
    { hiddenDim: Number(values.hidden), numLayers: Number(values.layers), numHeads: Number(values.heads), dropout: 0.1, nodeInputDim: 12, edgeInputDim: EDGE_INPUT_DIM, graphInputDim: GRAPH_INPUT_DIM, outputDim: 6 },
    42,
  );
  process.stderr.write(`GAT batch: ${first.nNodes} nodes, ${first.nEdges} edges\n`);
  return () => {
    const { value, grads } = tf.variableGrads(() => model.loss(first, true), [...model.variables]);
    tf.dispose(grads);
    return value;
  };
}

const { tf, matmul } = await initBackend('wasm');
wrapKernels(tf);
const step = values.model === 'gat' ? gatStep(tf) : cllmStep(tf);
step().dispose();
const steps = Number(values.steps);
counting = true;
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < steps; i++) step().dispose();
const wallMs = (performance.now() - t0) / steps;
const cpu = process.cpuUsage(c0);
counting = false;
const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
const rows = [...tallies.entries()].map(([name, t]) => ({ name, perStep: t.count / steps, msPerStep: t.ms / steps })).sort((a, b) => b.msPerStep - a.msPerStep);
const kernelMs = rows.reduce((s, r) => s + r.msPerStep, 0);
const kernels = rows.reduce((s, r) => s + r.perStep, 0);
process.stdout.write(`${values.model} (${matmul}): ${kernels} kernels/step, wall ${wallMs.toFixed(1)} ms/step, CPU ${cpuMs.toFixed(1)} ms/step, CPU in kernels ${kernelMs.toFixed(1)} ms, outside ${(cpuMs - kernelMs).toFixed(1)} ms\n`);
for (const r of rows.slice(0, Number(values.top))) process.stdout.write(`${r.name.padEnd(values['by-shape'] === true ? 56 : 24)} ${String(r.perStep).padStart(5)} ×  ${r.msPerStep.toFixed(2).padStart(8)} ms\n`);
