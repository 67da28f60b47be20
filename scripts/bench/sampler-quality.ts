/**
 * Sampler quality: mean best value after 25/50/100 trials over seeds 0..S-1 on every suite function, for
 * parzen's TPE (univariate and multivariate) and random search, beside Optuna 3.1 run in the same session.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/sampler-quality.js [--seeds 20] [--trials 100] [--peers tpe,random]
 *
 * The peers run as child processes (/usr/bin/python3 /work/shared/peers/optuna_quality.py SEEDS TRIALS KIND)
 * while parzen runs; `--peers none` skips them.
 */
import { OPTUNA31_TPE_OPTIONS, RandomSampler, TPESampler } from '../../src/samplers/index.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { runDirect } from './drive.js';
import { runPythonJson } from './python-peer.js';
import { SUITE } from './suite.js';

type Marks = Record<string, number>;
type Table = Record<string, Marks>;

const PEERS_DIR = '/work/shared/peers';
/** parzen's default TPE, the Optuna 3.1 presets (univariate, multivariate) and random search. */
const CONFIGS: Record<string, (seed: number) => Sampler> = {
  'parzen tpe': (seed) => new TPESampler({ seed }),
  'parzen optuna31': (seed) => new TPESampler({ ...OPTUNA31_TPE_OPTIONS, seed }),
  'parzen optuna31-mv': (seed) => new TPESampler({ ...OPTUNA31_TPE_OPTIONS, multivariate: true, seed }),
  'parzen random': (seed) => new RandomSampler({ seed }),
};
const TPE_CONFIGS = ['parzen tpe', 'parzen optuna31', 'parzen optuna31-mv'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function runPeer(kind: string, seeds: number, trials: number): Promise<Table> {
  return runPythonJson<Table>(['optuna_quality.py', String(seeds), String(trials), kind], `optuna ${kind}`, PEERS_DIR);
}

/** Mean best-so-far at each mark over seeds, for one sampler config. Yields to the event loop between functions. */
async function runParzen(make: (seed: number) => Sampler, seeds: number, trials: number, marks: number[]): Promise<Table> {
  const table: Table = {};
  for (const [name, f] of Object.entries(SUITE)) {
    const sums: Marks = Object.fromEntries(marks.map((m) => [String(m), 0]));
    const finals: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      runDirect({ sampler: make(seed), space: f.space, objective: f.fn, nTrials: trials, onTrial: (i, best) => {
        if (String(i) in sums) sums[String(i)] += best / seeds;
        if (i === trials) finals.push(best);
      } });
    }
    // Standard error of the mean final best, to tell a real difference from seed noise.
    const mean = finals.reduce((a, b) => a + b, 0) / seeds;
    sums.se = Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / (seeds - 1) / seeds);
    table[name] = sums;
    await new Promise((r) => setImmediate(r));
  }
  return table;
}

const fmt = (v: number | undefined): string => (v === undefined ? '–' : Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toFixed(4));

function report(results: Record<string, Table>, marks: number[], final: string): void {
  const cols = Object.keys(results);
  console.log(`\nmean best after ${marks.join(' / ')} trials (lower is better)\n`);
  console.log(`| function | ${cols.join(' | ')} | ${TPE_CONFIGS.map((c) => `${c} vs optuna tpe @${final}`).join(' | ')} |`);
  console.log(`|---|${cols.map(() => '---').join('|')}|${TPE_CONFIGS.map(() => '---').join('|')}|`);
  const wins: Record<string, number> = Object.fromEntries(TPE_CONFIGS.map((c) => [c, 0]));
  for (const name of Object.keys(SUITE)) {
    const cells = cols.map((c) => marks.map((m) => fmt(results[c][name]?.[String(m)])).join(' / '));
    const peer = results['optuna tpe']?.[name]?.[final];
    const verdict = (c: string): string => {
      const mine = results[c]?.[name]?.[final];
      if (peer === undefined || mine === undefined) return '–';
      if (mine <= peer) wins[c]++;
      const se = results[c][name].se;
      return `${mine <= peer ? 'win' : 'loss'} (${fmt(mine - peer)}, s.e. ${fmt(se)})`;
    };
    console.log(`| ${name} | ${cells.join(' | ')} | ${TPE_CONFIGS.map(verdict).join(' | ')} |`);
  }
  const n = Object.keys(SUITE).length;
  if (results['optuna tpe'] !== undefined) {
    console.log(`\nat ${final} trials, as good as Optuna 3.1 TPE or better: ${TPE_CONFIGS.map((c) => `${c} ${wins[c]}/${n}`).join(', ')}`);
  }
  for (const c of TPE_CONFIGS) {
    const beats = Object.keys(SUITE).filter((f) => results[c][f][final] < results['parzen random'][f][final]).length;
    console.log(`${c} better than parzen random at ${final} trials on ${beats}/${n}`);
  }
}

async function main(): Promise<void> {
  const seeds = Number(arg('seeds', '20'));
  const trials = Number(arg('trials', '100'));
  const peers = arg('peers', 'tpe,random').split(',').filter((p) => p !== 'none' && p !== '');
  const marks = [25, 50, 100].filter((m) => m <= trials);
  if (!marks.includes(trials)) marks.push(trials);
  const started = Date.now();
  const peerRuns = peers.map((kind) => runPeer(kind, seeds, trials).then((t) => [`optuna ${kind}`, t] as const));
  const results: Record<string, Table> = {};
  for (const [label, make] of Object.entries(CONFIGS)) {
    const t0 = Date.now();
    results[label] = await runParzen(make, seeds, trials, marks);
    console.log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  for (const [label, table] of await Promise.all(peerRuns)) results[label] = table;
  console.log(`seeds 0..${seeds - 1}, ${trials} trials, total ${((Date.now() - started) / 1000).toFixed(0)} s, node ${process.version}`);
  report(results, marks, String(trials));
}

await main();
