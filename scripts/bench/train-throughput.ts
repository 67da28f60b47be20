/**
 * Training throughput of parzen against PyTorch 1.13 in one run (issue 17): the optimizer's graph network at two
 * sizes and the cllm transformer at nanoGPT's CPU character setting, each on the wasm backend's own matrix
 * products, on the native addon with 1 BLAS thread and with 2, and PyTorch with 1 and 2 threads
 * (OMP_WAIT_POLICY=PASSIVE, OpenBLAS/OMP thread counts set explicitly). Every configuration runs in its own
 * process through gnn-steps.js / cllm-vs-pytorch.js, one after the other.
 *
 *   npx tsc -p tsconfig.json && nice -n 10 node dist/scripts/bench/train-throughput.js [--cllm-steps 60 \
 *     --gnn-steps 6 --out docs/benchmarks/throughput.json --sides wasm,wasm-stock,native1,native1-js,native1-stock,native2]
 *
 * Prints a markdown table (steps/s by wall clock and by CPU time; ratios against PyTorch at the same thread
 * count) and writes the raw JSON of every run to --out.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'cllm-steps': { type: 'string', default: '60' },
    'gnn-steps': { type: 'string', default: '6' },
    out: { type: 'string', default: 'docs/benchmarks/throughput.json' },
    only: { type: 'string', default: 'gat-small,gat-large,cllm' },
    sides: { type: 'string', default: 'wasm,native1,native2' },
  },
});

interface Side {
  readonly label: string;
  readonly env: Record<string, string>;
  readonly peerThreads: string | null;
}

/**
 * parzen on wasm's kernels, parzen native ×1/×2 BLAS threads; the peer runs beside the 1- and 2-thread rows.
 * The `-stock` sides turn parzen's fused kernels off (PARZEN_FUSED=0): the before of a before/after in one run;
 * `native1-js` keeps them but runs their JS loops (PARZEN_NATIVE_KERNELS=0), not the addon's C ones.
 */
const SIDES: Readonly<Record<string, Side>> = {
  wasm: { label: 'parzen wasm', env: { PARZEN_NATIVE: '0', PARZEN_FUSED: '1' }, peerThreads: null },
  'wasm-stock': { label: 'parzen wasm, stock ops', env: { PARZEN_NATIVE: '0', PARZEN_FUSED: '0' }, peerThreads: null },
  native1: { label: 'parzen native, 1 thread', env: { PARZEN_NATIVE: '1', PARZEN_NATIVE_THREADS: '1', PARZEN_FUSED: '1' }, peerThreads: '1' },
  // The native products with the fused kernels' JS loops instead of their C versions (native/src/parzen_kernels.c).
  'native1-js': { label: 'parzen native, 1 thread, JS loops', env: { PARZEN_NATIVE: '1', PARZEN_NATIVE_THREADS: '1', PARZEN_FUSED: '1', PARZEN_NATIVE_KERNELS: '0' }, peerThreads: null },
  'native1-stock': { label: 'parzen native, 1 thread, stock ops', env: { PARZEN_NATIVE: '1', PARZEN_NATIVE_THREADS: '1', PARZEN_FUSED: '0' }, peerThreads: null },
  native2: { label: 'parzen native, 2 threads', env: { PARZEN_NATIVE: '1', PARZEN_NATIVE_THREADS: '2', PARZEN_FUSED: '1' }, peerThreads: '2' },
};

const MODELS = {
  'gat-small': { script: 'dist/scripts/bench/gnn-steps.js', args: ['--hidden', '128', '--layers', '3', '--heads', '4', '--batch-size', '4', '--steps', values['gnn-steps'] ?? '6', '--warmup', '2'] },
  'gat-large': { script: 'dist/scripts/bench/gnn-steps.js', args: ['--hidden', '384', '--layers', '8', '--heads', '8', '--batch-size', '4', '--steps', values['gnn-steps'] ?? '6', '--warmup', '2'] },
  cllm: { script: 'dist/scripts/bench/cllm-vs-pytorch.js', args: ['--steps', values['cllm-steps'] ?? '60'] },
} as const;
type ModelName = keyof typeof MODELS;

interface Row {
  readonly model: string;
  readonly side: string;
  readonly matmul: string;
  readonly wall: number;
  readonly cpu: number;
  readonly loss: number;
  readonly peer: { threads: string; wall: number; cpu: number; loss: number } | null;
}

function runOne(name: ModelName, side: Side): Row {
  const m = MODELS[name];
  const peerArgs = side.peerThreads === null ? ['--skip-peer'] : ['--peer-threads', side.peerThreads];
  const started = performance.now();
  const r = spawnSync(process.execPath, [m.script, ...m.args, ...peerArgs], { encoding: 'utf8', env: { ...process.env, ...side.env }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${name} / ${side.label} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const j = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as Record<string, Record<string, number | string> | null>;
  process.stderr.write(`${name} / ${side.label}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (name === 'cllm') {
    const p = j['parzen'] as Record<string, number | string>;
    const q = j['peer'];
    return {
      model: name, side: side.label, matmul: String(p['matmul']), wall: Number(p['steps_per_s']), cpu: Number(p['steps_per_cpu_s']), loss: Number(p['val_loss']),
      peer: q === null ? null : { threads: side.peerThreads ?? '', wall: Number(q['steps_per_s']), cpu: Number(q['steps_per_cpu_s']), loss: Number(q['val_loss']) },
    };
  }
  const t = j['tfjsWasm'] as Record<string, number | string>;
  const q = j['torch'];
  return {
    model: name, side: side.label, matmul: String(t['matmul']), wall: Number(t['stepsPerSecWall']), cpu: Number(t['stepsPerSecCpu']), loss: Number(t['lastLoss']),
    peer: q === null ? null : { threads: side.peerThreads ?? '', wall: Number(q['stepsPerSecWall']), cpu: Number(q['stepsPerSecCpu']), loss: Number(q['lastLoss']) },
  };
}

const load0 = loadavg()[0];
const started = new Date().toISOString();
const rows: Row[] = [];
const sides = (values.sides ?? '').split(',').map((key) => {
  const side = SIDES[key];
  if (side === undefined) throw new Error(`--sides: unknown side '${key}'; use ${Object.keys(SIDES).join(', ')}`);
  return side;
});
for (const name of (values.only ?? '').split(',') as ModelName[]) {
  if (!(name in MODELS)) throw new Error(`--only: unknown model '${name}'; use gat-small, gat-large, cllm`);
  for (const side of sides) rows.push(runOne(name, side));
}
const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '–');
const lines = [
  `| model | parzen | matmul | steps/s wall | steps/s CPU | last loss | PyTorch threads | PyTorch steps/s wall | CPU | ratio wall | ratio CPU |`,
  `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
  ...rows.map((r) =>
    `| ${r.model} | ${r.side} | ${r.matmul} | ${f(r.wall)} | ${f(r.cpu)} | ${f(r.loss, 4)} | ${r.peer?.threads ?? '–'} | ${r.peer === null ? '–' : f(r.peer.wall)} | ${r.peer === null ? '–' : f(r.peer.cpu)} | ` +
      `${r.peer === null ? '–' : f(r.wall / r.peer.wall)} | ${r.peer === null ? '–' : f(r.cpu / r.peer.cpu)} |`),
];
const meta = { started, finished: new Date().toISOString(), cores: cpus().length, loadavgStart: load0, loadavgEnd: loadavg()[0], node: process.version };
writeFileSync(values.out ?? 'docs/benchmarks/throughput.json', `${JSON.stringify({ meta, rows }, null, 2)}\n`);
console.log(`${JSON.stringify(meta)}\n\n${lines.join('\n')}`);
