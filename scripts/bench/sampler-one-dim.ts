/**
 * TPE on one parameter, where the joint path's Scott-style width and the per-parameter neighbour rule differ
 * most: the 1-D quadratic of tests/samplers/tpe-concentrates-near-optimum.test.ts, x ∈ [-10, 10], (x - 2.5)²,
 * 60 trials. Prints the mean best after 60 trials and the mean |x - 2.5| of trials 30–59 over the seeds.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/sampler-one-dim.js [--seeds 40]
 */
import { OPTUNA31_TPE_OPTIONS, RandomSampler, TPESampler } from '../../src/samplers/index.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import { float } from '../../src/space/distributions.js';
import { runDirect } from './drive.js';

const CONFIGS: Readonly<Record<string, (seed: number) => Sampler>> = {
  'default (joint-scott)': (seed) => new TPESampler({ seed }),
  'default with bandwidth optuna': (seed) => new TPESampler({ seed, bandwidth: 'optuna' }),
  optuna31: (seed) => new TPESampler({ ...OPTUNA31_TPE_OPTIONS, seed }),
  random: (seed) => new RandomSampler({ seed }),
};

function main(): void {
  const i = process.argv.indexOf('--seeds');
  const nSeeds = i >= 0 ? Number(process.argv[i + 1]) : 40;
  console.log(`1-D quadratic, seeds 0..${nSeeds - 1}, 60 trials, node ${process.version}\n`);
  console.log('| sampler | mean best after 60 | mean abs(x - 2.5), trials 30-59 |');
  console.log('|---|---|---|');
  for (const [label, make] of Object.entries(CONFIGS)) {
    let best = 0;
    let distance = 0;
    for (let seed = 0; seed < nSeeds; seed++) {
      const h = runDirect({ sampler: make(seed), space: { x: float(-10, 10) }, objective: (p) => ((p.x as number) - 2.5) ** 2, nTrials: 60 });
      best += Math.min(...h.map((t) => t.value as number)) / nSeeds;
      for (const t of h.slice(30)) distance += Math.abs((t.params.x as number) - 2.5) / 30 / nSeeds;
    }
    console.log(`| ${label} | ${best.toExponential(2)} | ${distance.toFixed(3)} |`);
  }
}

main();
