/**
 * TPE variant selection on held-out seeds: runs many TPESampler configurations in one process over the suite
 * (parzen only, no Optuna) and compares each with the Optuna-3.1-faithful configuration on the same seeds.
 * Variants share each seed's startup trials (the random draws depend on seed, trial number and parameter name
 * only), so per-seed differences are paired.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/sampler-variants.js [--first-seed 100] [--seeds 40] [--trials 100] [--variants a,b] [--json out.json]
 *
 * Printed per variant: mean best after `trials` per function, functions where it is at least as good as the
 * baseline (mean), functions where it is better by more than two paired standard errors or worse by more
 * than two, and the mean over functions of the regret normalised by random search's regret on the same seeds.
 */
import { writeFileSync } from 'node:fs';
import { RandomSampler, TPESampler } from '../../src/samplers/index.js';
import type { TPESamplerOptions } from '../../src/samplers/index.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { runDirect } from './drive.js';
import { type Params, SUITE } from './suite.js';
import { VARIANTS } from './sampler-variant-list.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** Final best per function per seed. */
type Finals = Record<string, number[]>;

function runFinals(make: (seed: number) => Sampler, firstSeed: number, nSeeds: number, nTrials: number): Finals {
  const out: Finals = {};
  for (const [name, f] of Object.entries(SUITE)) {
    out[name] = [];
    for (let s = firstSeed; s < firstSeed + nSeeds; s++) {
      const history = runDirect({ sampler: make(s), space: f.space, objective: f.fn, nTrials });
      out[name].push(Math.min(...history.map((t) => t.value as number)));
    }
  }
  return out;
}

/**
 * Reference minimum of each function: the published optimum, or for mixed_nexus (none published) the minimum
 * over a dense grid of its continuous parameters at every discrete combination.
 */
function referenceMinima(): Record<string, number> {
  const ref: Record<string, number> = {};
  for (const [name, f] of Object.entries(SUITE)) {
    if (f.optimum !== null) {
      ref[name] = f.optimum;
      continue;
    }
    let best = Infinity;
    for (const hidden_dim of [128, 256, 384]) for (const num_heads of [4, 8]) for (let num_layers = 3; num_layers <= 8; num_layers++) {
      for (let i = 0; i <= 400; i++) for (let j = 0; j <= 100; j++) {
        const p: Params = { hidden_dim, num_heads, num_layers, learning_rate: 1e-5 * 50 ** (i / 400), dropout: 0.05 + (0.25 * j) / 100 };
        best = Math.min(best, f.fn(p));
      }
    }
    ref[name] = best;
  }
  return ref;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function pairedSe(a: readonly number[], b: readonly number[]): number {
  const d = a.map((v, i) => v - b[i]);
  const m = mean(d);
  return Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / (d.length - 1) / d.length);
}

interface Summary {
  readonly variant: string;
  readonly means: Record<string, number>;
  readonly asGood: number;
  readonly clearlyBetter: number;
  readonly clearlyWorse: number;
  /** Mean over functions of (best - reference) / (random's best - reference), each averaged over seeds. */
  readonly normRegret: number;
}

function summarise(variant: string, finals: Finals, base: Finals, random: Finals, ref: Record<string, number>): Summary {
  const means: Record<string, number> = {};
  let asGood = 0;
  let clearlyBetter = 0;
  let clearlyWorse = 0;
  let regret = 0;
  const names = Object.keys(SUITE);
  for (const f of names) {
    means[f] = mean(finals[f]);
    const diff = means[f] - mean(base[f]);
    const se = pairedSe(finals[f], base[f]);
    if (diff <= 0) asGood++;
    if (diff < -2 * se) clearlyBetter++;
    if (diff > 2 * se) clearlyWorse++;
    regret += (means[f] - ref[f]) / (mean(random[f]) - ref[f]) / names.length;
  }
  return { variant, means, asGood, clearlyBetter, clearlyWorse, normRegret: regret };
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toFixed(4));

function main(): void {
  const firstSeed = Number(arg('first-seed', '100'));
  const nSeeds = Number(arg('seeds', '40'));
  const nTrials = Number(arg('trials', '100'));
  const wanted = arg('variants', Object.keys(VARIANTS).join(',')).split(',');
  const ref = referenceMinima();
  const make = (o: TPESamplerOptions) => (seed: number) => new TPESampler({ ...o, seed });
  const random = runFinals((seed) => new RandomSampler({ seed }), firstSeed, nSeeds, nTrials);
  const base = runFinals(make(VARIANTS.optuna31), firstSeed, nSeeds, nTrials);
  const names = Object.keys(SUITE);
  console.log(`seeds ${firstSeed}..${firstSeed + nSeeds - 1}, ${nTrials} trials, node ${process.version}; baseline optuna31`);
  console.log(`| variant | ${names.join(' | ')} | ≥ base | better (2 s.e.) | worse (2 s.e.) | norm. regret |`);
  console.log(`|---|${names.map(() => '---').join('|')}|---|---|---|---|`);
  const rows: Summary[] = [];
  for (const v of ['optuna31', ...wanted.filter((w) => w !== 'optuna31')]) {
    const options = VARIANTS[v];
    if (options === undefined) throw new Error(`unknown variant ${v}; known: ${Object.keys(VARIANTS).join(', ')}`);
    const t0 = Date.now();
    const finals = v === 'optuna31' ? base : runFinals(make(options), firstSeed, nSeeds, nTrials);
    const s = summarise(v, finals, base, random, ref);
    rows.push(s);
    console.log(`| ${v} | ${names.map((f) => fmt(s.means[f])).join(' | ')} | ${s.asGood}/8 | ${s.clearlyBetter} | ${s.clearlyWorse} | ${s.normRegret.toFixed(4)} | (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const rnd = summarise('random', random, base, random, ref);
  console.log(`| random | ${names.map((f) => fmt(rnd.means[f])).join(' | ')} | ${rnd.asGood}/8 | ${rnd.clearlyBetter} | ${rnd.clearlyWorse} | ${rnd.normRegret.toFixed(4)} |`);
  const out = arg('json', '');
  if (out !== '') writeFileSync(out, JSON.stringify({ firstSeed, nSeeds, nTrials, ref, rows }, null, 1));
}

main();
