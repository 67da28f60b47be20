/**
 * Worker-pool benchmark (issue 3): scaling of a CPU-bound study from 1 to 2 workers, and the dispatch cost of a
 * trial on the pool compared with running it on the main thread. Every study goes through the real study manager
 * (createStudy + InMemoryStorage + runTrials), so the figures include ask/tell and event streaming.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/pool-scaling.js [--trials 12] [--target-ms 1000]
 *       [--dispatch-trials 500] [--repeat 1] [--no-peer]
 *
 * Peer, in the same run: Optuna 3.1 (/usr/bin/python3) optimising the same LCG loop written in Python, with
 * `n_jobs=1` and `n_jobs=2` (its built-in parallelism: threads in one process).
 *
 * Goals: 2 workers ≤ 0.55× the 1-worker wall time; ≤ 2 ms of dispatch per trial (pool minus in-process).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { InProcessRunner } from '../../src/runner/in-process.js';
import { PoolRunner } from '../../src/runner/pool.js';
import { runTrials } from '../../src/runner/run-trials.js';
import type { TrialEvents, TrialRunner } from '../../src/runner/runner.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import type { Budget } from '../../src/core/frozen.js';
import { createStudy } from '../../src/study/create.js';
import { burn } from './pool-cpu-burn-objective.js';

const CPU_OBJECTIVE = fileURLToPath(new URL('./pool-cpu-burn-objective.js', import.meta.url));
const EMPTY_OBJECTIVE = fileURLToPath(new URL('./pool-empty-objective.js', import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}

/** LCG steps that take `targetMs` of CPU time on this machine (CPU time, so the machine's load does not skew it). */
function calibrate(targetMs: number): number {
  burn(2_000_000); // warm up the JIT
  const probe = 20_000_000;
  const before = process.cpuUsage();
  burn(probe);
  const used = process.cpuUsage(before);
  const cpuMs = (used.user + used.system) / 1000;
  return Math.round((probe * targetMs) / cpuMs);
}

interface Timing {
  readonly wallMs: number;
  /** CPU time of the whole process (main thread and every worker thread: getrusage is per process). */
  readonly cpuMs: number;
}

/** Wall and CPU milliseconds for `nTrials` trials of `objective` through the study manager on `runner`. */
async function timeStudy(runner: TrialRunner, objective: string, nTrials: number, budget: Budget): Promise<Timing> {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 11 }), direction: 'minimize' });
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const done = await runTrials({
    study,
    storage,
    runner,
    target: { kind: 'objective', path: objective },
    space: { x: float(0, 1) },
    nTrials,
    budget,
    seed: 11,
    worker: 'bench',
    codeVersion: null,
  });
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const failed = done.filter((t) => t.state !== 'COMPLETE');
  if (failed.length > 0) throw new Error(`benchmark trial ${failed[0].number} ended ${failed[0].state}: ${failed[0].error?.message ?? ''}`);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function withRunner<T>(runner: TrialRunner, body: (r: TrialRunner) => Promise<T>): Promise<T> {
  try {
    return await body(runner);
  } finally {
    await runner.close();
  }
}

const quietEvents: TrialEvents = {
  report: () => undefined,
  metrics: () => undefined,
  log: () => undefined,
  progress: () => undefined,
  setAttr: () => undefined,
  shouldPrune: () => false,
};

/** Mean ms of a bare `runner.run()` round trip (no study, no store) over `n` empty trials, after a warm-up. */
async function timeBareRuns(runner: TrialRunner, n: number): Promise<number> {
  const signal = new AbortController().signal;
  const job = (i: number) => ({ trialNumber: i, params: { x: 0.5 }, budget: {}, seed: 1, target: { kind: 'objective' as const, path: EMPTY_OBJECTIVE } });
  for (let i = 0; i < 50; i++) await runner.run(job(i), quietEvents, signal);
  const start = performance.now();
  for (let i = 0; i < n; i++) await runner.run(job(i), quietEvents, signal);
  return (performance.now() - start) / n;
}

interface ScalingRow {
  readonly one: Timing;
  readonly two: Timing;
}

async function scaling(nTrials: number, iterations: number, repeat: number): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (let r = 0; r < repeat; r++) {
    const budget = { iterations };
    const one = await withRunner(new PoolRunner({ workers: 1 }), (p) => timeStudy(p, CPU_OBJECTIVE, nTrials, budget));
    const two = await withRunner(new PoolRunner({ workers: 2 }), (p) => timeStudy(p, CPU_OBJECTIVE, nTrials, budget));
    rows.push({ one, two });
    console.error(`scaling run ${r + 1}: 1 worker ${(one.wallMs / 1000).toFixed(2)} s, 2 workers ${(two.wallMs / 1000).toFixed(2)} s`);
  }
  return rows;
}

interface DispatchFigures {
  readonly inProcessStudyMs: number;
  readonly poolStudyMs: number;
  readonly inProcessBareMs: number;
  readonly poolBareMs: number;
}

async function dispatch(n: number): Promise<DispatchFigures> {
  const perTrial = async (runner: TrialRunner): Promise<number> => {
    await timeStudy(runner, EMPTY_OBJECTIVE, 50, {}); // warm-up: thread start, module load, JIT
    return (await timeStudy(runner, EMPTY_OBJECTIVE, n, {})).wallMs / n;
  };
  const inProcessStudyMs = await withRunner(new InProcessRunner(), perTrial);
  const poolStudyMs = await withRunner(new PoolRunner({ workers: 1 }), perTrial);
  const inProcessBareMs = await withRunner(new InProcessRunner(), (r) => timeBareRuns(r, n));
  const poolBareMs = await withRunner(new PoolRunner({ workers: 1 }), (r) => timeBareRuns(r, n));
  return { inProcessStudyMs, poolStudyMs, inProcessBareMs, poolBareMs };
}

const PEER = String.raw`
import json, sys, time, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
cfg = json.loads(sys.argv[1])
def burn(n):
    a = 1; s = 0.0
    for _ in range(n):
        a = (a * 1103515245 + 12345) % 2147483648
        s += a ** 0.5
    return s / n
burn(100000)
t = time.process_time(); burn(1000000); cpu = time.process_time() - t
n = int(1000000 * cfg["target_ms"] / 1000 / cpu)
out = {"iterations": n, "optuna": optuna.__version__}
for jobs in (1, 2):
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=11))
    t = time.perf_counter()
    study.optimize(lambda tr: burn(n) * 1e-9 + tr.suggest_float("x", 0, 1), n_trials=cfg["trials"], n_jobs=jobs)
    out["wall_ms_%d" % jobs] = (time.perf_counter() - t) * 1000
print(json.dumps(out))
`;

interface PeerFigures {
  readonly iterations: number;
  readonly optuna: string;
  readonly wall_ms_1: number;
  readonly wall_ms_2: number;
}

function runPeer(nTrials: number, targetMs: number): PeerFigures | string {
  const r = spawnSync('/usr/bin/python3', ['-c', PEER, JSON.stringify({ trials: nTrials, target_ms: targetMs })], { encoding: 'utf8' });
  if (r.status !== 0) return `peer failed (exit ${String(r.status)}): ${(r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' ')}`;
  return JSON.parse(r.stdout) as PeerFigures;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main(): Promise<void> {
  const nTrials = arg('trials', 12);
  const targetMs = arg('target-ms', 1000);
  const nDispatch = arg('dispatch-trials', 500);
  const repeat = arg('repeat', 1);
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average at start ${load}`);
  const iterations = calibrate(targetMs);
  console.log(`\nCPU objective: ${iterations.toLocaleString('en')} LCG steps ≈ ${targetMs} ms of CPU per trial; ${nTrials} trials\n`);
  const rows = await scaling(nTrials, iterations, repeat);
  // CPU ÷ wall is how many cores the process actually got: 2 workers can only halve the wall time if it nears 2.
  console.log('| run | 1 worker (s) | 2 workers (s) | 2 / 1 | cores used, 1 worker | cores used, 2 workers |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const s = (t: Timing): string => (t.wallMs / 1000).toFixed(2);
  const used = (t: Timing): string => (t.cpuMs / t.wallMs).toFixed(2);
  rows.forEach((r, i) => console.log(`| ${i + 1} | ${s(r.one)} | ${s(r.two)} | ${(r.two.wallMs / r.one.wallMs).toFixed(3)} | ${used(r.one)} | ${used(r.two)} |`));
  const ratio = median(rows.map((r) => r.two.wallMs / r.one.wallMs));
  console.log(`\nmedian 2-worker / 1-worker wall time: ${ratio.toFixed(3)} (goal ≤ 0.55: ${ratio <= 0.55 ? 'met' : 'NOT met'})`);
  if (!process.argv.includes('--no-peer')) {
    const peer = runPeer(nTrials, targetMs);
    if (typeof peer === 'string') console.log(`\npeer: ${peer}`);
    else {
      const r = peer.wall_ms_2 / peer.wall_ms_1;
      console.log(`\npeer Optuna ${peer.optuna} (${peer.iterations.toLocaleString('en')} steps in Python ≈ ${targetMs} ms CPU): ` +
        `n_jobs=1 ${(peer.wall_ms_1 / 1000).toFixed(2)} s, n_jobs=2 ${(peer.wall_ms_2 / 1000).toFixed(2)} s, 2 / 1 = ${r.toFixed(3)}`);
    }
  }
  const d = await dispatch(nDispatch);
  console.log(`\nempty objective, ${nDispatch} trials, ms per trial:\n`);
  console.log('| path | in-process | pool, 1 worker | pool − in-process | pool / in-process |\n| --- | ---: | ---: | ---: | ---: |');
  const line = (name: string, a: number, b: number): void =>
    console.log(`| ${name} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(b - a).toFixed(3)} | ${(b / a).toFixed(2)} |`);
  line('study (ask → run → tell, InMemoryStorage)', d.inProcessStudyMs, d.poolStudyMs);
  line('bare runner.run()', d.inProcessBareMs, d.poolBareMs);
  const overhead = d.poolStudyMs - d.inProcessStudyMs;
  console.log(`\ndispatch overhead per trial: ${overhead.toFixed(3)} ms (goal ≤ 2 ms: ${overhead <= 2 ? 'met' : 'NOT met'})`);
  console.log(`load average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

await main();
