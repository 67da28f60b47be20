/**
 * The optimizer's graph network trained by 1 and by 2 train workers in one run (issue 17's "two train workers ≥
 * 1.6× one"), through the path `tune train --train-workers N` runs (harness `trainModel({ replicas })`: replica 0 on
 * the main thread, the others on worker threads, gradients averaged every step), on the same batches from the same
 * initial weights. Each configuration runs in its own process, alternated round by round, with
 * PARZEN_PHASE_PROFILE=1 so every training thread reports its own CPU per phase (forward+backward, batch packing,
 * barrier wait, …). Also reports, from the batches alone, how evenly each way of cutting a batch spreads the work.
 *
 *   npx tsc -p tsconfig.json && nice -n 10 node dist/scripts/bench/gnn-workers.js [--hidden 256 --layers 7 \
 *     --heads 4 --batch-size 4 --steps 40 --warmup-steps 0 --workers 1,2 --rounds 2 --dropout 0 --seed 42 \
 *     --train 400 --datasets /tmp/parzen-gnn-workers --node-flags=--single-threaded-gc]
 *
 * Uses `<datasets>/optimizer/{train,val}.h5` when they exist (e.g. `--datasets datasets`, what `tune` generated),
 * else generates `--train` training circuits (and 16 val, 16 test) there with the dataset generator's seed 42; the
 * default dir is keyed by `--train` (/tmp/parzen-gnn-workers for 400, else /tmp/parzen-gnn-workers-train<N>).
 * Steps/s are over steps 1…n−1 (step 0 warms the kernels up and waits for the worker threads to start); CPU is the
 * whole process's over the same steps. With `--warmup-steps W`, W untimed steps run first (1 and 2 workers alike):
 * the timed steps are W…W+n−1, timed from the end of step W (the steady state: a full training runs 100+ steps an
 * epoch for many epochs, while a short run is mostly both isolates' JIT warm-up), and the same run also reports the
 * old measure, steps 0…n−1 timed as before (`fromStart`). The run is one epoch, so it needs (W + n) × batch-size
 * training circuits (`--train`). The phase profile still covers steps 1…end; the thread CPU figures are windowed. Dropout 0 by default, so 1 and 2 workers must give the same losses up to
 * float summation order (the largest per-step difference is reported).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childrenCpuMs, machineCpuMs, threadCpuBetween, threadCpuSnapshot } from './thread-cpu.js';

// A bad option or a failed run ends in one line naming it, not a stack trace.
const failCleanly = (e: unknown): never => {
  process.stderr.write(`gnn-workers: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
};
process.on('uncaughtException', failCleanly);
process.on('unhandledRejection', failCleanly);

const { values } = parseArgs({
  options: {
    hidden: { type: 'string', default: '256' },
    layers: { type: 'string', default: '7' },
    heads: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '4' },
    steps: { type: 'string', default: '40' },
    /** Untimed steps before the timed ones (JIT warm-up of every isolate), for 1 and 2 workers alike. */
    'warmup-steps': { type: 'string', default: '0' },
    workers: { type: 'string', default: '1,2' },
    rounds: { type: 'string', default: '2' },
    dropout: { type: 'string', default: '0' },
    seed: { type: 'string', default: '42' },
    /** Default: /tmp/parzen-gnn-workers for --train 400 (the earlier sessions' set), else /tmp/parzen-gnn-workers-train<N>. */
    datasets: { type: 'string' },
    train: { type: 'string', default: '400' },
    /** V8/Node flags for the child processes, space-separated (e.g. --node-flags=--single-threaded-gc). */
    'node-flags': { type: 'string', default: '' },
    /** Internal: run one configuration with this many workers and print its JSON. */
    child: { type: 'string' },
    /** With --child: write "step N" to stdout as each step ends (to split V8's --trace-opt/--trace-gc output by step). */
    'mark-steps': { type: 'boolean', default: false },
    /**
     * With --child 1: pack each batch's circuits in reverse order (same circuits, same keyed dropout masks, same
     * per-circuit forward values; only the order of the float sums across circuits changes: the loss mean, the
     * weight and bias gradients' sums over rows). In --workers, `1r` names such a run (issue 17, s29-order).
     */
    'reverse-circuits': { type: 'boolean', default: false },
    /** Only the per-share CPU of the two cuts (no training runs). */
    'cuts-only': { type: 'boolean', default: false },
  },
});

function positiveInt(name: string, raw: string | undefined): number {
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${name}: expected a positive integer, got '${raw}'`);
  return v;
}

function nonNegativeInt(name: string, raw: string | undefined): number {
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name}: expected a non-negative integer, got '${raw}'`);
  return v;
}

const steps = positiveInt('steps', values.steps);
const warmupSteps = nonNegativeInt('warmup-steps', values['warmup-steps']);
const batchSize = positiveInt('batch-size', values['batch-size']);
const seed = Number(values.seed);
const trainCircuits = positiveInt('train', values.train);
const datasetsDir = values.datasets ?? (trainCircuits === 400 ? '/tmp/parzen-gnn-workers' : `/tmp/parzen-gnn-workers-train${trainCircuits}`);
/** Steps run in all: the warm-up, then the timed ones (one epoch; the set needs (W + steps) × batch circuits). */
const totalSteps = warmupSteps + steps;

/** The params `tune train` would parse for this architecture (validation on 8 circuits: it is not timed). */
function params(): Record<string, unknown> {
  return {
    hidden_dim: positiveInt('hidden', values.hidden), num_layers: positiveInt('layers', values.layers),
    num_heads: positiveInt('heads', values.heads), batch_size: batchSize, dropout: Number(values.dropout),
    tuning_val_circuits: 8, backend: 'wasm',
  };
}

/** One timed window of a child's run: steps `from`…`to` (the intervals between their ends). */
interface Window {
  readonly from: number;
  readonly to: number;
  readonly stepsPerSec: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** Each thread's CPU ms over the window, by thread id (the pid is the main thread, replica 0). */
  readonly threadCpuMs: Record<string, number>;
}

interface ChildResult {
  readonly workers: number;
  readonly reversed: boolean;
  readonly matmul: string;
  /** The timed steps: W…W+steps−1 (after the warm-up). Without warm-up, the old measure. */
  readonly stepsPerSec: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** Losses of the timed steps. */
  readonly losses: number[];
  readonly threadCpuMs: Record<string, number>;
  /** With --warmup-steps W > 0: the old measure from the same run, steps 0…steps−1 (JIT warm-up included). */
  readonly fromStart: Window | null;
  /** Losses of every step, warm-up included. */
  readonly allLosses: number[];
  readonly pid: number;
}

async function runChild(workers: number): Promise<void> {
  const [{ initBackend }, { trainModel }, { optimizerEngine }, { parseHyperparams }, optimizer, { subsystemModule }] = await Promise.all([
    import('../../src/ml/backend.js'), import('../../src/subsystems/harness.js'), import('../../src/subsystems/optimizer/engine.js'),
    import('../../src/subsystems/optimizer/hyperparams.js'), import('../../src/subsystems/optimizer/index.js'), import('../../src/subsystems/registry.js'),
  ]);
  const p = { ...optimizer.default.defaults.full, ...params() };
  const hp = parseHyperparams(p);
  const { matmul } = await initBackend('wasm');
  const data = await optimizerEngine.loadData(datasetsDir, hp);
  const losses: number[] = [];
  // The steps whose ends are marked: 0 and steps−1 (the old measure), W and W+steps−1 (the timed steps).
  const marked = new Set([0, steps - 1, warmupSteps, totalSteps - 1]);
  const marks = new Map<number, { wall: number; cpu: NodeJS.CpuUsage; threads: ReturnType<typeof threadCpuSnapshot> }>();
  const reversed = values['reverse-circuits'] === true;
  if (reversed && workers !== 1) throw new Error(`--reverse-circuits: only for one worker (got ${workers})`);
  const { packBatch } = await import('../../src/subsystems/optimizer/batching.js');
  // The same batches (same circuits, same dropout seed), each packed in reverse circuit order.
  const engine: typeof optimizerEngine = !reversed ? optimizerEngine : {
    ...optimizerEngine,
    trainBatches: function* (d, h, o) {
      for (const b of optimizerEngine.trainBatches(d, h, o)) yield { ...packBatch(d.train, Array.from(b.circuits).reverse()), dropoutSeed: b.dropoutSeed };
    },
  };
  const { model } = await trainModel({
    engine, hp, data, epochs: 1, batchCap: totalSteps, seed, mode: 'tune',
    ...(workers > 1 ? { replicas: { count: workers, subsystem: 'optimizer', moduleUrl: subsystemModule('optimizer'), params: p, datasetsDir } } : {}),
    onStep: (s) => {
      if (values['mark-steps'] === true) writeSync(1, `step ${s.step}\n`);
      losses.push(s.loss);
      // Only at the marked steps, while the replica threads are alive; not every step (reading /proc allocates
      // buffers, which V8 counts as external memory: the measurement would start collections of its own).
      if (marked.has(s.step)) marks.set(s.step, { wall: performance.now(), cpu: process.cpuUsage(), threads: threadCpuSnapshot() });
    },
  });
  model.dispose();
  if (losses.length !== totalSteps) {
    throw new Error(`--warmup-steps ${warmupSteps} + --steps ${steps}: the epoch has only ${losses.length} batches of ${batchSize} (one epoch of ${datasetsDir}); lower them or raise --train`);
  }
  const window = (from: number, to: number): Window => {
    const a = marks.get(from);
    const b = marks.get(to);
    if (a === undefined || b === undefined) throw new Error(`internal: steps ${from}/${to} not marked`);
    const wallSeconds = (b.wall - a.wall) / 1000;
    return {
      from, to, stepsPerSec: (to - from) / wallSeconds, wallSeconds, cpuSeconds: (b.cpu.user + b.cpu.system - a.cpu.user - a.cpu.system) / 1e6,
      threadCpuMs: threadCpuBetween(a.threads, b.threads, String),
    };
  };
  // Without warm-up: steps 1…n−1 timed from the end of step 0, as before.
  const timed = window(warmupSteps, totalSteps - 1);
  const r: ChildResult = {
    workers, reversed, matmul, stepsPerSec: timed.stepsPerSec, cpuSeconds: timed.cpuSeconds, wallSeconds: timed.wallSeconds, threadCpuMs: timed.threadCpuMs,
    losses: losses.slice(warmupSteps), fromStart: warmupSteps > 0 ? window(0, steps - 1) : null, allLosses: losses, pid: process.pid,
  };
  console.log(JSON.stringify(r));
}

async function ensureData(): Promise<void> {
  const dir = join(datasetsDir, 'optimizer');
  if (existsSync(join(dir, 'train.h5')) && existsSync(join(dir, 'val.h5'))) return;
  const { generateDatasets } = await import('../../src/subsystems/optimizer/dataset/generate.js');
  process.stderr.write(`generating ${values.train} training circuits in ${dir}\n`);
  await generateDatasets({ dir, train: positiveInt('train', values.train), val: 16, test: 16, seed: 42 });
}

/** How evenly each cut spreads the benchmarked batches' work (nodes + packed edges) over 2 replicas. */
async function balance(): Promise<Record<string, number>> {
  const [{ optimizerEngine }, { parseHyperparams }, optimizer, { batchShares, circuitWork }, { shareOf }] = await Promise.all([
    import('../../src/subsystems/optimizer/engine.js'), import('../../src/subsystems/optimizer/hyperparams.js'),
    import('../../src/subsystems/optimizer/index.js'), import('../../src/subsystems/optimizer/batching.js'), import('../../src/ml/data-parallel/shares.js'),
  ]);
  const hp = parseHyperparams({ ...optimizer.default.defaults.full, ...params() });
  const data = await optimizerEngine.loadData(datasetsDir, hp);
  const opts = { batchSize, seed, epoch: 0, shuffle: true } as const;
  const whole = [...optimizerEngine.trainBatches(data, hp, { seed, epoch: 0 })].slice(warmupSteps, totalSteps);
  const byWork = [0, 1].map((rank) => [...batchShares(data.train, { ...opts, share: { rank, nShares: 2 } })].slice(warmupSteps, totalSteps));
  const work = (cs: readonly number[]): number => cs.reduce((s, c) => s + circuitWork(data.train.split, c), 0);
  let total = 0;
  let countMax = 0;
  let workMax = 0;
  whole.forEach((b, i) => {
    const cs = Array.from(b.circuits);
    total += work(cs);
    countMax += Math.max(work(shareOf(cs, { rank: 0, nShares: 2 })), work(shareOf(cs, { rank: 1, nShares: 2 })));
    workMax += Math.max(...byWork.map((r) => (r[i].batch === null ? 0 : r[i].batch.nNodes + r[i].batch.nEdges)));
  });
  // The busier replica's work over half the batch's: 1 is a perfect split, 2 one replica doing everything.
  return { meanNodesPerBatch: whole.reduce((s, b) => s + b.nNodes, 0) / whole.length, meanEdgesPerBatch: whole.reduce((s, b) => s + b.nEdges, 0) / whole.length, busierShareByCount: countMax / (total / 2), busierShareByWork: workMax / (total / 2) };
}

/** This thread's on-CPU milliseconds (/proc/thread-self/schedstat: the scheduler's count for this thread alone). */
function threadCpuMs(): number {
  // getrusage first: it brings this thread's schedstat runtime up to date (else it lags by up to a scheduler tick).
  process.cpuUsage();
  return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
}

/**
 * What each cut costs in thread CPU, measured on this thread alone (so other processes' load does not enter it):
 * for each benchmarked batch, one forward+backward of each replica's share under the cut by count (the two halves)
 * and the cut by work, in alternating order, and of the whole batch. A step waits for its slower share, so
 * Σ max(share CPU) over Σ (whole / 2) is what the cut costs over a perfect split of the same work; the fit of
 * share CPU against share work gives the fixed cost every share pays whatever its size.
 */
async function cuts(): Promise<Record<string, number>> {
  const [{ initBackend }, { optimizerEngine }, { parseHyperparams }, optimizer, { circuitWork, packBatch }, { shareOf, shareByWork }] = await Promise.all([
    import('../../src/ml/backend.js'), import('../../src/subsystems/optimizer/engine.js'), import('../../src/subsystems/optimizer/hyperparams.js'),
    import('../../src/subsystems/optimizer/index.js'), import('../../src/subsystems/optimizer/batching.js'), import('../../src/ml/data-parallel/shares.js'),
  ]);
  const { tf } = await initBackend('wasm');
  const hp = parseHyperparams({ ...optimizer.default.defaults.full, ...params() });
  const data = await optimizerEngine.loadData(datasetsDir, hp);
  const model = optimizerEngine.createModel(hp, data, seed);
  const split = data.train.split;
  const cost = (circuits: readonly number[]): number => {
    const b = packBatch(data.train, circuits);
    const t0 = threadCpuMs();
    tf.tidy(() => {
      const { value } = tf.variableGrads(() => model.loss(b, true), [...model.variables]);
      value.dataSync();
    });
    return threadCpuMs() - t0;
  };
  const whole = [...optimizerEngine.trainBatches(data, hp, { seed, epoch: 0 })].slice(0, steps + 2).map((b) => Array.from(b.circuits));
  for (const cs of whole.slice(0, 2)) cost(cs);
  const sums = { whole: 0, countMax: 0, workMax: 0 };
  const points: Array<[number, number]> = [];
  const rows: Array<[number, number, number]> = []; // nodes, packed edges, CPU ms of one share
  whole.slice(2).forEach((cs, i) => {
    const byCount = [0, 1].map((rank) => shareOf(cs, { rank, nShares: 2 }));
    const work = cs.map((c) => circuitWork(split, c));
    const byWork = [0, 1].map((rank) => shareByWork(cs, work, { rank, nShares: 2 }));
    const measure = (shares: number[][]): number[] => shares.map((sh) => {
      const ms = cost(sh);
      points.push([sh.reduce((t, c) => t + circuitWork(split, c), 0), ms]);
      const nodes = sh.reduce((t, c) => t + split.nodeOffsets[c + 1] - split.nodeOffsets[c], 0);
      rows.push([nodes, points[points.length - 1][0] - nodes, ms]);
      return ms;
    });
    const [c, w] = i % 2 === 0 ? [measure(byCount), measure(byWork)] : [measure(byWork), measure(byCount)].reverse();
    sums.whole += cost(cs);
    sums.countMax += Math.max(...c);
    sums.workMax += Math.max(...w);
  });
  model.dispose();
  const n = points.length;
  const mx = points.reduce((t, p) => t + p[0], 0) / n;
  const my = points.reduce((t, p) => t + p[1], 0) / n;
  const slope = points.reduce((t, p) => t + (p[0] - mx) * (p[1] - my), 0) / points.reduce((t, p) => t + (p[0] - mx) ** 2, 0);
  const k = whole.length - 2;
  return {
    batches: k, wholeBatchCpuMs: sums.whole / k, slowerShareByCountCpuMs: sums.countMax / k, slowerShareByWorkCpuMs: sums.workMax / k,
    byCountOverHalf: sums.countMax / (sums.whole / 2), byWorkOverHalf: sums.workMax / (sums.whole / 2),
    fitFixedCpuMsPerShare: my - slope * mx, fitCpuMsPerThousandWork: slope * 1000,
    ...nodeEdgeFit(rows),
  };
}

/** Least squares CPU ≈ a + b·nodes + c·edges over the measured shares (normal equations, Cramer's rule). */
function nodeEdgeFit(rows: ReadonlyArray<readonly [number, number, number]>): Record<string, number> {
  const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const v = [0, 0, 0];
  for (const [n, e, y] of rows) {
    const x = [1, n, e];
    for (let i = 0; i < 3; i++) {
      v[i] += x[i] * y;
      for (let j = 0; j < 3; j++) m[i][j] += x[i] * x[j];
    }
  }
  const det = (a: number[][]): number => a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(m);
  const solve = (k: number): number => det(m.map((row, i) => row.map((x, j) => (j === k ? v[i] : x)))) / d;
  return { fit2FixedCpuMs: solve(0), fit2CpuMsPerNode: solve(1), fit2CpuMsPerEdge: solve(2) };
}

interface PhaseLine {
  label: string;
  threadId: number | null;
  steps: number;
  threadCpuMs: number;
  phases: Record<string, { cpuMs: number; wallMs: number; calls: number }>;
}

interface Elsewhere {
  readonly otherProcessesCpuS: number;
  readonly stealS: number;
}

/** A --workers entry: `N` (N workers) or `1r` (one worker, circuits packed in reverse: --reverse-circuits). */
interface RunSpec {
  readonly workers: number;
  readonly reversed: boolean;
  readonly name: string;
}

function parseSpec(raw: string): RunSpec {
  const m = /^(\d+)(r?)$/.exec(raw);
  if (m === null) throw new Error(`--workers: expected entries like 1, 2 or 1r (one worker, reversed circuit order), got '${raw}'`);
  const workers = positiveInt('workers', m[1]);
  if (m[2] === 'r' && workers !== 1) throw new Error(`--workers: '${raw}': the reversed order (r) is only for one worker`);
  return { workers, reversed: m[2] === 'r', name: raw };
}

function runOne(spec: RunSpec): { result: ChildResult; profiles: PhaseLine[]; load: number; elsewhere: Elsewhere } {
  const self = fileURLToPath(import.meta.url);
  const nodeFlags = (values['node-flags'] ?? '').split(' ').filter((f) => f !== '');
  const { workers } = spec;
  const passed = Object.entries(values).filter(([k]) => k !== 'child' && k !== 'cuts-only' && k !== 'node-flags' && k !== 'mark-steps' && k !== 'reverse-circuits');
  const args = [...nodeFlags, self, '--child', String(workers), ...passed.flatMap(([k, v]) => [`--${k}`, String(v)]), ...(spec.reversed ? ['--reverse-circuits'] : [])];
  const load = loadavg()[0];
  const [machine0, children0] = [machineCpuMs(), childrenCpuMs()];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, PARZEN_PHASE_PROFILE: '1' }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`the ${workers}-worker run failed (exit ${r.status}): ${r.stderr}`);
  // What else ran on the machine meanwhile: its busy CPU less the child's (10 ms resolution), and the steal.
  const [machine1, children1] = [machineCpuMs(), childrenCpuMs()];
  const elsewhere = { otherProcessesCpuS: (machine1.busyMs - machine0.busyMs - (children1 - children0)) / 1000, stealS: (machine1.stealMs - machine0.stealMs) / 1000 };
  const profiles = r.stderr.split('\n').filter((l) => l.startsWith('phase profile {')).map((l) => JSON.parse(l.slice('phase profile '.length)) as PhaseLine);
  return { result: JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult, profiles, load, elsewhere };
}

/**
 * The CPU of the threads that do not train (V8's garbage-collector and compiler helpers, libuv's pool, …) per timed
 * step, and each training thread's, from the child's per-thread counts (training threads named by their profiles).
 */
function threadSplit(w: { readonly threadCpuMs: Record<string, number>; readonly wallSeconds: number; readonly stepsPerSec: number }, profiles: readonly PhaseLine[]): { trainingCpuMsPerStep: number[]; otherThreadsCpuMsPerStep: number } {
  const n = Math.max(1, Math.round(w.wallSeconds * w.stepsPerSec));
  const training = new Set(profiles.map((p) => String(p.threadId)));
  const others = Object.entries(w.threadCpuMs).filter(([tid]) => !training.has(tid)).reduce((s, [, ms]) => s + ms, 0);
  return { trainingCpuMsPerStep: profiles.map((p) => (w.threadCpuMs[String(p.threadId)] ?? Number.NaN) / n), otherThreadsCpuMsPerStep: others / n };
}

const perStep = (p: PhaseLine, phase: string, what: 'cpuMs' | 'wallMs'): number => (p.phases[phase]?.[what] ?? 0) / Math.max(1, p.steps);

function describe(p: PhaseLine): Record<string, number | string> {
  return {
    thread: p.label, threadCpuMsPerStep: p.threadCpuMs / Math.max(1, p.steps),
    forwardBackwardCpuMs: perStep(p, 'forward+backward', 'cpuMs'), forwardBackwardWallMs: perStep(p, 'forward+backward', 'wallMs'),
    batchPackingCpuMs: perStep(p, 'batch', 'cpuMs'), barrierWaitWallMs: perStep(p, 'barrier wait', 'wallMs'), barrierWaitCpuMs: perStep(p, 'barrier wait', 'cpuMs'),
    updateCpuMs: perStep(p, 'optimizer update', 'cpuMs'), clipCpuMs: perStep(p, 'clip', 'cpuMs'), stepWallMs: perStep(p, 'step', 'wallMs'),
  };
}

if (values.child !== undefined) {
  await runChild(positiveInt('child', values.child));
} else if (values['cuts-only'] === true) {
  await ensureData();
  console.log(JSON.stringify({ arch: params(), steps, balance: await balance(), cuts: await cuts(), loadAverage: loadavg()[0] }, null, 2));
} else {
  await ensureData();
  const workers = (values.workers ?? '1,2').split(',').map(parseSpec);
  const rounds = positiveInt('rounds', values.rounds);
  const runs: Array<{ round: number; spec: RunSpec; load: number; result: ChildResult; profiles: PhaseLine[]; elsewhere: Elsewhere }> = [];
  for (let round = 0; round < rounds; round++) {
    for (const w of workers) {
      const { result, profiles, load, elsewhere } = runOne(w);
      runs.push({ round, spec: w, load, result, profiles, elsewhere });
      const split = threadSplit(result, profiles);
      process.stderr.write(`round ${round + 1}, ${w.name} worker(s): ${result.stepsPerSec.toFixed(3)} steps/s, CPU ${result.cpuSeconds.toFixed(2)} s, ` +
        `CPU ms/step: training threads ${split.trainingCpuMsPerStep.map((x) => x.toFixed(1)).join(', ')}, other threads ${split.otherThreadsCpuMsPerStep.toFixed(1)}; load ${load.toFixed(2)}, ` +
        `other processes' CPU ${elsewhere.otherProcessesCpuS.toFixed(1)} s, steal ${elsewhere.stealS.toFixed(1)} s` +
        (warmupSteps > 0 ? ` (steps ${warmupSteps}…${totalSteps - 1} after ${warmupSteps} warm-up steps)` : '') + '\n');
      if (result.fromStart !== null) {
        const old = threadSplit(result.fromStart, profiles);
        process.stderr.write(`  old measure, same run, steps 0…${steps - 1} (warm-up included): ${result.fromStart.stepsPerSec.toFixed(3)} steps/s, CPU ${result.fromStart.cpuSeconds.toFixed(2)} s, ` +
          `CPU ms/step: training threads ${old.trainingCpuMsPerStep.map((x) => x.toFixed(1)).join(', ')}, other threads ${old.otherThreadsCpuMsPerStep.toFixed(1)}\n`);
      }
    }
  }
  const base = (round: number): ChildResult | undefined => runs.find((r) => r.round === round && r.spec === workers[0])?.result;
  const report = {
    arch: params(), steps, warmupSteps, trainCircuits, datasetsDir, nodeFlags: values['node-flags'], matmul: runs[0]?.result.matmul, balance: await balance(),
    loadAverage: { start: runs[0]?.load, end: loadavg()[0] },
    runs: runs.map(({ round, spec, load, result, profiles, elsewhere }) => {
      const b = base(round);
      return {
        round: round + 1, workers: result.workers, run: spec.name, reversedCircuits: result.reversed, loadAverage1m: load, ...elsewhere, stepsPerSec: result.stepsPerSec, cpuSeconds: result.cpuSeconds,
        speedupOverFirst: b === undefined ? null : result.stepsPerSec / b.stepsPerSec, cpuOverFirst: b === undefined ? null : result.cpuSeconds / b.cpuSeconds,
        maxLossDiffFromFirst: b === undefined ? null : Math.max(...b.allLosses.map((l, i) => Math.abs(l - (result.allLosses[i] ?? Number.NaN)))),
        // Float summation order compounds over steps: how far the first n steps agree, and where the curves part.
        maxLossDiffFirstSteps: b === undefined ? null : Math.max(...b.allLosses.slice(0, steps).map((l, i) => Math.abs(l - (result.allLosses[i] ?? Number.NaN)))),
        firstStepLossDiffOver1e3: b === undefined ? null : b.allLosses.findIndex((l, i) => !(Math.abs(l - (result.allLosses[i] ?? Number.NaN)) <= 1e-3)),
        // Where the curves part, at several thresholds (−1: never), and the first step's difference (issue 17, s29-order).
        firstStepLossDiffOver: b === undefined ? null : Object.fromEntries([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1].map((t) => [String(t), b.allLosses.findIndex((l, i) => !(Math.abs(l - (result.allLosses[i] ?? Number.NaN)) <= t))])),
        lossDiffStep0: b === undefined ? null : Math.abs(b.allLosses[0] - (result.allLosses[0] ?? Number.NaN)),
        meanLoss: result.losses.reduce((t, l) => t + l, 0) / result.losses.length,
        ...threadSplit(result, profiles), losses: result.losses,
        fromStart: result.fromStart === null ? null : {
          steps: [result.fromStart.from, result.fromStart.to], stepsPerSec: result.fromStart.stepsPerSec, cpuSeconds: result.fromStart.cpuSeconds,
          speedupOverFirst: b?.fromStart == null ? null : result.fromStart.stepsPerSec / b.fromStart.stepsPerSec, ...threadSplit(result.fromStart, profiles),
        },
        // The phase profile covers steps 1…end (warm-up included): the thread CPU above is the windowed figure.
        threads: profiles.map(describe),
        phasesCpuMsPerStep: profiles.map((p) => Object.fromEntries(Object.entries(p.phases).map(([k, v]) => [k, v.cpuMs / Math.max(1, p.steps)]))),
      };
    }),
  };
  console.log(JSON.stringify(report, null, 2));
  for (const [i, r] of report.runs.entries()) {
    if (runs[i].spec === workers[0]) continue;
    process.stderr.write(`round ${r.round}: ${r.run} / ${workers[0].name} workers = ${r.speedupOverFirst?.toFixed(3)}× steps/s (wall), ${r.cpuOverFirst?.toFixed(3)}× process CPU, largest loss difference ${r.maxLossDiffFromFirst?.toExponential(1)} (${r.maxLossDiffFirstSteps?.toExponential(1)} over steps 0…${steps - 1}; first step over 1e-3: ${r.firstStepLossDiffOver1e3}; first step over 1e-6…1e-1: ${Object.values(r.firstStepLossDiffOver ?? {}).join(', ')}; step 0 differs by ${r.lossDiffStep0?.toExponential(1)})` +
      (r.fromStart === null ? '' : `; old measure (steps 0…${steps - 1}) ${r.fromStart.speedupOverFirst?.toFixed(3)}× steps/s`) + '\n');
  }
}
