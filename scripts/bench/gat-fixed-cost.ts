/**
 * What one GAT forward+backward costs whatever the size of its batch — the part every data-parallel replica pays in
 * full — for the fused graph-attention layer against the composed one, in one process with the two forms alternated
 * step by step (so the machine's load falls on both alike). Two batches from the optimizer's generated circuits: the
 * smallest circuit alone (almost all dispatch: kernels, tape, host work) and a training batch of `--batch-size`
 * circuits. Reports this thread's CPU per forward+backward (/proc/thread-self/schedstat) as a median over the
 * steps, and the kernels run per step (every registered kernel counted), for each form and batch.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/gat-fixed-cost.js [--hidden 128 --layers 3 --heads 4 \
 *     --batch-size 4 --steps 60 --dropout 0.167 --datasets /tmp/parzen-gnn-workers]
 *
 * Reads `<datasets>/optimizer/train.h5` (gnn-workers.js generates it). `--only fused` (or composed) runs that form
 * on the smallest circuit alone, for a CPU profile of the fixed cost.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { initBackend } from '../../src/ml/backend.js';
import { optimizerEngine } from '../../src/subsystems/optimizer/engine.js';
import { parseHyperparams } from '../../src/subsystems/optimizer/hyperparams.js';
import optimizer from '../../src/subsystems/optimizer/index.js';
import { packBatch, type GraphBatch } from '../../src/subsystems/optimizer/batching.js';
import { useFusedGatLayer } from '../../src/subsystems/optimizer/model/fused-gat-layer.js';

const { values } = parseArgs({
  options: {
    hidden: { type: 'string', default: '128' },
    layers: { type: 'string', default: '3' },
    heads: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '4' },
    steps: { type: 'string', default: '60' },
    dropout: { type: 'string', default: '0.167' },
    datasets: { type: 'string', default: '/tmp/parzen-gnn-workers' },
    /** Only the smallest circuit and only this form (e.g. under `node --cpu-prof`). */
    only: { type: 'string' },
  },
});

const threadCpuMs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { tf, matmul } = await initBackend('wasm');
let kernels = 0;
for (const config of tf.getKernelsForBackend('wasm') as KernelConfig[]) {
  const inner = config.kernelFunc;
  // Patched in place, not re-registered: nativeMatMulActive compares the registered config by identity.
  (config as { kernelFunc: KernelFunc }).kernelFunc = ((args: Parameters<KernelFunc>[0]) => {
    kernels++;
    return inner(args);
  }) as KernelFunc;
}

const params = {
  ...optimizer.defaults.full, hidden_dim: Number(values.hidden), num_layers: Number(values.layers), num_heads: Number(values.heads),
  batch_size: Number(values['batch-size']), dropout: Number(values.dropout), tuning_val_circuits: 8, backend: 'wasm',
};
const hp = parseHyperparams(params);
const data = await optimizerEngine.loadData(values.datasets ?? '', hp);
const model = optimizerEngine.createModel(hp, data, 42);
const split = data.train.split;
const sizes = Array.from({ length: split.nCircuits }, (_, c) => split.nodeOffsets[c + 1] - split.nodeOffsets[c]);
const smallest = sizes.indexOf(Math.min(...sizes));
let first: GraphBatch | undefined;
for (const b of optimizerEngine.trainBatches(data, hp, { seed: 42, epoch: 0 })) {
  first = b;
  break;
}
if (first === undefined) throw new Error('the training split has no batch');
const batchesByName: Record<string, GraphBatch> = {
  [`smallest circuit (${sizes[smallest]} nodes)`]: { ...packBatch(data.train, [smallest]), dropoutSeed: 7 },
  [`training batch (${first.nGraphs} circuits, ${first.nNodes} nodes)`]: first,
};

/** One forward+backward: thread CPU ms and kernels run. */
function step(b: GraphBatch): [number, number] {
  const k0 = kernels;
  const t0 = threadCpuMs();
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(b, true) as never, [...model.variables]);
    value.dataSync();
    tf.dispose(grads);
  });
  return [threadCpuMs() - t0, kernels - k0];
}

const steps = Number(values.steps);
const report: Record<string, Record<string, number>> = {};
const forms = values.only === undefined ? ['composed', 'fused'] : [values.only];
for (const [name, b] of Object.entries(batchesByName).slice(0, values.only === undefined ? 2 : 1)) {
  const cpu: Record<string, number[]> = { composed: [], fused: [] };
  const count: Record<string, number> = {};
  for (let i = 0; i < steps + 5; i++) {
    for (const form of i % 2 === 0 ? forms : [...forms].reverse()) {
      useFusedGatLayer(form === 'fused');
      const [ms, k] = step(b);
      if (i >= 5) cpu[form].push(ms);
      count[form] = k;
    }
  }
  const [c, f] = [median(cpu.composed), median(cpu.fused)];
  report[name] = { composedCpuMs: c, fusedCpuMs: f, savedCpuMs: c - f, composedKernels: count.composed, fusedKernels: count.fused };
}
console.log(JSON.stringify({ matmul, arch: { hidden: values.hidden, layers: values.layers, heads: values.heads }, steps, loadAverage: loadavg()[0], report }, null, 2));
