/**
 * Small budgets: how TPE's start-up (uniform vs scrambled Halton, and how many start-up trials) changes the
 * best value after 12, 25 and 50 trials on the suite, beside Optuna 3.1 (TPE, multivariate TPE, QMC, random)
 * run in the same session.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/sampler-startup.js [--first 0] [--seeds 20] [--trials 50] [--peers tpe,mtpe,qmc,random] [--variants gp,default]
 *
 * Selection runs on held-out seeds (`--first 100 --seeds 40 --peers none`), the report on seeds 0–19.
 * Each cell: mean best value; the summary: regret normalised by random search's on the same seeds
 * ((best − f*) / (random best − f*), averaged over functions with a known optimum), and for each variant
 * against parzen's previous default (uniform start-up, 10 trials), wins/losses where the paired mean difference exceeds two standard errors.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { GPSampler, QMCSampler, RandomSampler, TPESampler } from '../../src/samplers/index.js';
import type { SearchSpace } from '../../src/space/distributions.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { runDirect } from './drive.js';
import { runPythonJson } from './python-peer.js';
import { SUITE } from './suite.js';

/** function → mark → best value per seed. */
type Results = Record<string, Record<string, number[]>>;

const PEER = join(dirname(fileURLToPath(import.meta.url)), '../../../scripts/bench/peers/optuna_startup.py');

const VARIANTS: Record<string, (seed: number, space: SearchSpace) => Sampler> = {
  'tpe (old default)': (seed) => new TPESampler({ seed, startup: 'random', nStartupTrials: 10 }),
  'tpe qmc10': (seed, space) => new TPESampler({ seed, startup: 'qmc', space, nStartupTrials: 10 }),
  'tpe (default: qmc8)': (seed, space) => new TPESampler({ seed, space }),
  'tpe qmc6': (seed, space) => new TPESampler({ seed, startup: 'qmc', space, nStartupTrials: 6 }),
  'tpe qmc4': (seed, space) => new TPESampler({ seed, startup: 'qmc', space, nStartupTrials: 4 }),
  'tpe rand8': (seed) => new TPESampler({ seed, startup: 'random', nStartupTrials: 8 }),
  'tpe rand6': (seed) => new TPESampler({ seed, startup: 'random', nStartupTrials: 6 }),
  'parzen gp': (seed, space) => new GPSampler({ seed, space }),
  'parzen qmc': (seed, space) => new QMCSampler({ seed, space }),
  'parzen random': (seed) => new RandomSampler({ seed }),
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function runPeer(kind: string, first: number, seeds: number, trials: number): Promise<Results> {
  return runPythonJson<Results>([PEER, String(first), String(seeds), String(trials), kind], `optuna ${kind}`);
}

async function runParzen(make: (seed: number, space: SearchSpace) => Sampler, first: number, seeds: number, trials: number, marks: number[]): Promise<Results> {
  const out: Results = {};
  for (const [name, f] of Object.entries(SUITE)) {
    const perMark: Record<string, number[]> = Object.fromEntries(marks.map((m) => [String(m), []]));
    for (let seed = first; seed < first + seeds; seed++) {
      runDirect({ sampler: make(seed, f.space), space: f.space, objective: f.fn, nTrials: trials, onTrial: (i, best) => perMark[String(i)]?.push(best) });
    }
    out[name] = perMark;
    await new Promise((r) => setImmediate(r));
  }
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toFixed(4));

/** Paired comparison with the reference on one function and mark: 'win' / 'loss' beyond 2 s.e., else 'tie'. */
function paired(mine: readonly number[], ref: readonly number[]): 'win' | 'loss' | 'tie' {
  const d = mine.map((v, i) => v - ref[i]);
  const m = mean(d);
  const se = Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / (d.length - 1) / d.length);
  return m < -2 * se ? 'win' : m > 2 * se ? 'loss' : 'tie';
}

function report(all: Record<string, Results>, marks: number[]): void {
  const cols = Object.keys(all);
  const fns = Object.keys(SUITE);
  for (const mark of marks.map(String)) {
    console.log(`\n### best value after ${mark} trials (mean over seeds; lower is better)\n`);
    console.log(`| function | ${cols.join(' | ')} |`);
    console.log(`|---|${cols.map(() => '---:').join('|')}|`);
    for (const f of fns) console.log(`| ${f} | ${cols.map((c) => fmt(mean(all[c][f][mark]))).join(' | ')} |`);
    console.log(`\n| sampler @${mark} | norm. regret | vs tpe (old default): win/tie/loss (paired, 2 s.e.) | ≤ optuna tpe (mean) |`);
    console.log('|---|---:|---|---|');
    for (const c of cols) {
      const known = fns.filter((f) => SUITE[f].optimum !== null);
      const regret = mean(known.map((f) => {
        const opt = SUITE[f].optimum as number;
        return (mean(all[c][f][mark]) - opt) / (mean(all['parzen random'][f][mark]) - opt);
      }));
      const verdicts = fns.map((f) => paired(all[c][f][mark], all['tpe (old default)'][f][mark]));
      const wtl = ['win', 'tie', 'loss'].map((v) => verdicts.filter((x) => x === v).length).join('/');
      const peer = all['optuna tpe'];
      const asGood = peer === undefined ? '–' : `${fns.filter((f) => mean(all[c][f][mark]) <= mean(peer[f][mark])).length}/${fns.length}`;
      console.log(`| ${c} | ${regret.toFixed(3)} | ${wtl} | ${asGood} |`);
    }
  }
}

async function main(): Promise<void> {
  const first = Number(arg('first', '0'));
  const seeds = Number(arg('seeds', '20'));
  const trials = Number(arg('trials', '50'));
  const peers = arg('peers', 'tpe,mtpe,qmc,random').split(',').filter((p) => p !== '' && p !== 'none');
  const marks = [12, 25, 50, 100].filter((m) => m <= trials);
  const started = Date.now();
  const peerRuns = peers.map((kind) => runPeer(kind, first, seeds, trials).then((r) => [`optuna ${kind}`, r] as const));
  const all: Record<string, Results> = {};
  // --variants a,b keeps the variants whose label contains one of the strings (the old default and random search always run: the summary compares with them).
  const keep = arg('variants', '').split(',').filter((v) => v !== '');
  const chosen = Object.entries(VARIANTS).filter(([label]) => keep.length === 0 || label === 'tpe (old default)' || label === 'parzen random' || keep.some((k) => label.includes(k)));
  for (const [label, make] of chosen) all[label] = await runParzen(make, first, seeds, trials, marks);
  for (const [label, r] of await Promise.all(peerRuns)) all[label] = r;
  console.log(`seeds ${first}..${first + seeds - 1}, ${trials} trials, ${((Date.now() - started) / 1000).toFixed(0)} s, node ${process.version}`);
  report(all, marks);
}

await main();
