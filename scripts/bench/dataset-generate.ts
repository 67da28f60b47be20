/**
 * Dataset generation speed of the optimizer subsystem, in circuits per minute on one core (the generator is
 * single-threaded JavaScript; h5wasm is single-threaded wasm), against the reference's 933 circuits/min.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/dataset-generate.js [--train 10000 --val 2000 --test 2000 --seed 42 --repeat 3]
 *
 * Three phases, each run once to warm up and then timed `repeat` times (median reported):
 *   graphs  — circuit generation + node/edge features into CSR arrays (no labels);
 *   labels  — the same plus the estimator's parameter search per circuit (fresh memo each repeat);
 *   full    — generateDatasets: labels + validation + HDF5 files + manifest, into a temp folder;
 * then one read-back of train.h5 with full validation.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCircuit } from '../../src/subsystems/optimizer/dataset/circuit.js';
import { SplitBuilder, buildSplit, circuitRng } from '../../src/subsystems/optimizer/dataset/build-split.js';
import { SPLIT_NAMES, generateDatasets } from '../../src/subsystems/optimizer/dataset/generate.js';
import { readSplit } from '../../src/subsystems/optimizer/dataset/hdf5-split.js';
import { createLabeller } from '../../src/subsystems/optimizer/dataset/labels.js';

/** The reference implementation's generation speed, from its run log. */
const REFERENCE_PER_MINUTE = 933;

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: '10000' },
    val: { type: 'string', default: '2000' },
    test: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    repeat: { type: 'string', default: '3' },
  },
});
const sizes = { train: Number(values.train), val: Number(values.val), test: Number(values.test) };
const seed = Number(values.seed);
const repeat = Number(values.repeat);
const total = sizes.train + sizes.val + sizes.test;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Timing {
  wallMs: number;
  cpuMs: number;
  /** The first, discarded run: JIT warm-up and the estimator's module-level caches still cold. */
  coldWallMs: number;
}

/** Median wall and CPU time (user + system of this process) of `repeat` runs after one warm-up run, in ms. */
async function timeIt(run: () => unknown): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r <= repeat; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wallMs: median(wall.slice(1)), cpuMs: median(cpu.slice(1)), coldWallMs: wall[0] };
}

function graphsOnly(): void {
  for (const split of SPLIT_NAMES) {
    const b = new SplitBuilder(sizes[split]);
    for (let i = 0; i < sizes[split]; i++) b.add(generateCircuit(circuitRng(seed, split, i)));
    b.finish();
  }
}

function withLabels(): void {
  const labeller = createLabeller();
  for (const split of SPLIT_NAMES) buildSplit({ nCircuits: sizes[split], seed, split, labeller });
}

const dir = mkdtempSync(join(tmpdir(), 'parzen-bench-dataset-'));
try {
  const rows: [string, Timing][] = [];
  rows.push(['graphs + features', await timeIt(graphsOnly)]);
  rows.push(['+ labels (parameter search)', await timeIt(withLabels)]);
  rows.push(['+ HDF5 files (generateDatasets)', await timeIt(() => generateDatasets({ dir, ...sizes, seed }))]);
  const t0 = performance.now();
  const train = await readSplit(join(dir, 'train.h5'));
  const readMs = performance.now() - t0;
  const bytes = SPLIT_NAMES.reduce((a, s) => a + statSync(join(dir, `${s}.h5`)).size, 0);

  console.log(`circuits: ${total} (train ${sizes.train}, val ${sizes.val}, test ${sizes.test}), seed ${seed}, median of ${repeat}, node ${process.version}`);
  // On a shared machine the wall clock includes time other processes held the core; CPU time does not.
  console.log('| phase | wall (s) | circuits/min (wall) | × 933/min (wall) | CPU (s) | circuits/min (CPU) | × 933/min (CPU) | first run, wall (s) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const fmt = (ms: number): string => {
    const perMin = (total / ms) * 60000;
    return `${(ms / 1000).toFixed(2)} | ${Math.round(perMin).toLocaleString('en')} | ${(perMin / REFERENCE_PER_MINUTE).toFixed(1)}×`;
  };
  for (const [name, t] of rows) console.log(`| ${name} | ${fmt(t.wallMs)} | ${fmt(t.cpuMs)} | ${(t.coldWallMs / 1000).toFixed(2)} |`);
  console.log(`read + validate train.h5 (${train.nCircuits} circuits): ${(readMs / 1000).toFixed(2)} s; files on disk: ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  console.log(`mean nodes/circuit ${(train.nodeOffsets[train.nCircuits] / train.nCircuits).toFixed(1)}, edges/circuit ${(train.edgeOffsets[train.nCircuits] / train.nCircuits).toFixed(1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
