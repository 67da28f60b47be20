/**
 * GP sampler cost: CPU milliseconds per suggestion as the study grows, on the 6-parameter Hartmann function
 * (the target: ≤ 50 ms per trial at 200 trials). Optuna 3.1 has no GPSampler (it arrived in Optuna 3.6),
 * so there is no peer in Debian's package to run beside it.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/gp-overhead.js [--trials 200] [--seeds 3]
 */
import { GPSampler } from '../../src/samplers/index.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { askParams } from './drive.js';
import { SUITE } from './suite.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const trials = Number(arg('trials', '200'));
const seeds = Number(arg('seeds', '3'));
const f = SUITE.hartmann6;
const marks = [25, 50, 100, 150, 200].filter((m) => m <= trials);
const perMark: Record<number, number[]> = Object.fromEntries(marks.map((m) => [m, []]));
for (let seed = 0; seed < seeds; seed++) {
  const sampler = new GPSampler({ seed, space: f.space });
  const history: FrozenTrial[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = process.cpuUsage();
    const params = askParams(sampler, history, f.space, 'minimize');
    const used = process.cpuUsage(t0);
    // The ten suggestions before each mark, so one slow garbage collection does not decide a figure.
    for (const m of marks) if (i >= m - 10 && i < m) perMark[m].push((used.user + used.system) / 1000);
    history.push({
      trialId: i + 1, studyId: 1, number: i, state: 'COMPLETE', value: f.fn(params), params, distributions: f.space,
      intermediateValues: new Map(), userAttrs: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null,
      heartbeat: null, error: null, worker: null, seed: null, codeVersion: null, budget: null, retryOf: null,
    });
  }
}
console.log(`GP sampler, hartmann6 (6 parameters), ${seeds} seeds, node ${process.version}`);
console.log('| trials in the study | median CPU ms per suggestion | max |');
console.log('|---:|---:|---:|');
for (const m of marks) {
  const xs = perMark[m].sort((a, b) => a - b);
  console.log(`| ${m} | ${xs[Math.floor(xs.length / 2)].toFixed(1)} | ${xs[xs.length - 1].toFixed(1)} |`);
}
