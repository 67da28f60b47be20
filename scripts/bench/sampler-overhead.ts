/**
 * TPE cost as process CPU time (user + system) per trial, which a loaded shared machine inflates far less than
 * wall-clock time: the five-parameter space and objective of tpe-overhead.ts (and Optuna's optuna_overhead.py),
 * driven through the bare Sampler protocol, for parzen's default TPE and the Optuna 3.1 presets. Each preset is
 * run twice and the second run reported.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/sampler-overhead.js [--trials 1000] [--presets default,optuna31,optuna31-mv,auto-tpe]
 *       [--objective smooth|plateau]
 *
 * `auto-tpe` is the TPE that `--sampler auto` builds for a large budget (10 start-up trials, tied values 'near');
 * `--objective plateau` rounds the objective to multiples of 0.5 (a handful of distinct values, so almost every trial
 * ties with many earlier ones at other points: the worst case of the 'near' check).
 */
import { OPTUNA31_TPE_OPTIONS, TPESampler } from '../../src/samplers/index.js';
import { AUTO_TPE_TIES } from '../../src/samplers/make.js';
import type { TPESamplerOptions } from '../../src/samplers/index.js';
import { arg, objective, SPACE } from './overhead-space.js';
import { runDirect } from './drive.js';

const MARKS = [100, 250, 500, 1000, 2000, 5000];
const PRESETS: Readonly<Record<string, TPESamplerOptions>> = {
  default: {},
  optuna31: OPTUNA31_TPE_OPTIONS,
  'optuna31-mv': { ...OPTUNA31_TPE_OPTIONS, multivariate: true },
  'auto-tpe': { nStartupTrials: 10, ...AUTO_TPE_TIES },
};
const OBJECTIVES: Readonly<Record<string, typeof objective>> = {
  smooth: objective,
  plateau: (p) => Math.round(objective(p) / 0.5) * 0.5,
};

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms per trial in each window between marks ("501-1000" → ms). */
function cpuPerTrial(options: TPESamplerOptions, n: number, f: typeof objective): Map<string, number> {
  const out = new Map<string, number>();
  let prevN = 0;
  let prev = cpuMs();
  runDirect({
    sampler: new TPESampler({ ...options, seed: 42 }), space: SPACE, objective: f, nTrials: n,
    onTrial: (i) => {
      if (!MARKS.includes(i) && i !== n) return;
      const now = cpuMs();
      out.set(`${prevN + 1}-${i}`, (now - prev) / (i - prevN));
      prevN = i;
      prev = now;
    },
  });
  return out;
}

function main(): void {
  const n = Number(arg('trials', '1000'));
  const presets = arg('presets', Object.keys(PRESETS).join(',')).split(',');
  const f = OBJECTIVES[arg('objective', 'smooth')];
  if (f === undefined) throw new Error(`--objective: expected one of ${Object.keys(OBJECTIVES).join(', ')}`);
  const results = presets.map((p) => {
    const options = PRESETS[p];
    if (options === undefined) throw new Error(`--presets: unknown ${p}; known: ${Object.keys(PRESETS).join(', ')}`);
    // One untimed run first, so JIT compilation and heap growth are not charged to whichever preset runs first.
    cpuPerTrial(options, n, f);
    return cpuPerTrial(options, n, f);
  });
  console.log(`TPE CPU ms per trial (ask + tell, sampler protocol), objective ${arg('objective', 'smooth')}, node ${process.version}\n`);
  console.log(`| trials | ${presets.join(' | ')} |`);
  console.log(`|---|${presets.map(() => '---').join('|')}|`);
  for (const w of results[0].keys()) console.log(`| ${w} | ${results.map((r) => (r.get(w) as number).toFixed(3)).join(' | ')} |`);
}

main();
