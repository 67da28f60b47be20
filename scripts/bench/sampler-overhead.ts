/**
 * TPE cost as process CPU time (user + system) per trial, which a loaded shared machine inflates far less than
 * wall-clock time: the five-parameter space and objective of tpe-overhead.ts (and Optuna's optuna_overhead.py),
 * driven through the bare Sampler protocol, for parzen's default TPE and the Optuna 3.1 presets. Each preset is
 * run twice and the second run reported.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/sampler-overhead.js [--trials 1000] [--presets default,optuna31,optuna31-mv]
 */
import { OPTUNA31_TPE_OPTIONS, TPESampler } from '../../src/samplers/index.js';
import type { TPESamplerOptions } from '../../src/samplers/index.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import type { ParamValue } from '../../src/space/distributions.js';
import { runDirect } from './drive.js';

const SPACE = {
  hidden_dim: categorical([128, 256, 384]),
  num_layers: int(3, 8),
  num_heads: categorical([4, 8]),
  dropout: float(0.05, 0.3),
  learning_rate: float(1e-5, 5e-4, { log: true }),
};
const MARKS = [100, 250, 500, 1000, 2000, 5000];
const PRESETS: Readonly<Record<string, TPESamplerOptions>> = {
  default: {},
  optuna31: OPTUNA31_TPE_OPTIONS,
  'optuna31-mv': { ...OPTUNA31_TPE_OPTIONS, multivariate: true },
};

function objective(p: Readonly<Record<string, ParamValue>>): number {
  const lr = p.learning_rate as number;
  return (Math.log10(lr) + 4.2) ** 2 + ((p.dropout as number) - 0.24) ** 2 + Math.abs((p.num_layers as number) - 7) * 0.05 +
    (p.hidden_dim !== 256 ? 0.1 : 0) + (p.num_heads !== 8 ? 0.05 : 0);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms per trial in each window between marks ("501-1000" → ms). */
function cpuPerTrial(options: TPESamplerOptions, n: number): Map<string, number> {
  const out = new Map<string, number>();
  let prevN = 0;
  let prev = cpuMs();
  runDirect({
    sampler: new TPESampler({ ...options, seed: 42 }), space: SPACE, objective, nTrials: n,
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
  const results = presets.map((p) => {
    const options = PRESETS[p];
    if (options === undefined) throw new Error(`--presets: unknown ${p}; known: ${Object.keys(PRESETS).join(', ')}`);
    // One untimed run first, so JIT compilation and heap growth are not charged to whichever preset runs first.
    cpuPerTrial(options, n);
    return cpuPerTrial(options, n);
  });
  console.log(`TPE CPU ms per trial (ask + tell, sampler protocol), node ${process.version}\n`);
  console.log(`| trials | ${presets.join(' | ')} |`);
  console.log(`|---|${presets.map(() => '---').join('|')}|`);
  for (const w of results[0].keys()) console.log(`| ${w} | ${results.map((r) => (r.get(w) as number).toFixed(3)).join(' | ')} |`);
}

main();
