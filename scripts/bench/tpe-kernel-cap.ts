/**
 * TPE's cap on the bad group's kernels (samplers/tpe/thin-estimator.ts, `maxAboveKernels`): how often the capped
 * sampler picks the same candidate as uncapped TPE, and what one suggestion costs in CPU time with and without it.
 * Both score the same seeded candidates (the cap draws nothing), so "same choice" is the argmax index agreeing.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/tpe-kernel-cap.js [sizes=1000,5000,10000,20000] [nSuggestions=200] [cap=2000]
 *
 * Histories (made up, not run, so 20,000 trials take seconds): "uniform" — every trial a uniform draw; "focused" —
 * half uniform, half drawn ever closer to the optimum, as TPE's own history tends to be. Spaces: 2 floats (the
 * pg-suggest-cost lifecycle), and 5 parameters (a log float, a float, an int, a stepped float, a categorical).
 */
import { categorical, float, int, type Distribution } from '../../src/space/distributions.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { DEFAULT_TPE_OPTIONS, resolveTPEOptions } from '../../src/samplers/tpe/options.js';
import { tpeSuggest } from '../../src/samplers/tpe/sampler.js';
import { splitTrials } from '../../src/samplers/tpe/split-trials.js';
import { nBelow } from '../../src/samplers/tpe/options.js';
import { freezeTrial } from '../../src/storage/snapshot.js';
import { toInternal } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';

const sizes = (process.argv[2] ?? '1000,5000,10000,20000').split(',').map(Number);
const nSuggestions = Number(process.argv[3] ?? 200);
const cap = Number(process.argv[4] ?? DEFAULT_TPE_OPTIONS.maxAboveKernels);

interface Problem {
  readonly name: string;
  readonly space: Record<string, Distribution>;
  /** A point in [0, 1]^d mapped into the space, and its loss. */
  readonly point: (u: number[]) => Record<string, number | string>;
  readonly loss: (p: Record<string, number | string>) => number;
}

const PROBLEMS: readonly Problem[] = [
  {
    name: '2 floats',
    space: { x: float(-5, 5), y: float(-5, 5) },
    point: (u) => ({ x: u[0] * 10 - 5, y: u[1] * 10 - 5 }),
    loss: (p) => (p.x as number) ** 2 + (p.y as number) ** 2,
  },
  {
    name: '5 mixed',
    space: { lr: float(1e-5, 1e-1, { log: true }), drop: float(0, 0.5), layers: int(1, 8), wd: float(0, 1, { step: 0.05 }), act: categorical(['relu', 'gelu', 'tanh']) },
    point: (u) => ({ lr: 1e-5 * 1e4 ** u[0], drop: u[1] * 0.5, layers: 1 + Math.min(7, Math.floor(u[2] * 8)), wd: Math.round(u[3] * 20) / 20, act: ['relu', 'gelu', 'tanh'][Math.min(2, Math.floor(u[4] * 3))] }),
    loss: (p) => (Math.log10(p.lr as number) + 3) ** 2 + ((p.drop as number) - 0.1) ** 2 * 10 + Math.abs((p.layers as number) - 4) * 0.3 + (p.wd as number) + (p.act === 'gelu' ? 0 : 0.5),
  },
];

function history(problem: Problem, n: number, focused: boolean): FrozenTrial[] {
  const rng = new Rng(7, n, focused ? 1 : 0);
  const names = Object.keys(problem.space);
  const trials: FrozenTrial[] = [];
  for (let i = 0; i < n; i++) {
    // Focused: every other trial near the optimum's corner (u = 0.5 for the 2-float bowl, ≈ its argmin otherwise), tighter as i grows.
    const spread = focused && i % 2 === 1 ? 0.5 / Math.sqrt(1 + i / 50) : 0.5;
    const u = names.map(() => Math.min(1, Math.max(0, 0.5 + (rng.random() * 2 - 1) * spread)));
    const p = problem.point(u);
    trials.push(
      freezeTrial({
        trialId: i + 1, studyId: 1, number: i, state: 'COMPLETE', value: problem.loss(p),
        params: names.map((k) => [k, { distribution: problem.space[k], internal: toInternal(problem.space[k], p[k]) }] as const),
        intermediate: [], userAttrs: {}, systemAttrs: {}, datetimeStart: 0, datetimeComplete: 0, heartbeat: null, error: null,
        worker: null, seed: null, codeVersion: null, budget: null, retryOf: null,
      }),
    );
  }
  return trials;
}

const cpuMs = (fn: () => void): number => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

console.log(`node ${process.version}; ${nSuggestions} suggestions per cell; cap ${cap} kernels; default TPE otherwise`);
console.log('| space | history | trials | same choice as uncapped | CPU ms per suggestion, uncapped | capped | ratio |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const problem of PROBLEMS) {
  const names = Object.keys(problem.space).sort();
  const dists = names.map((k) => problem.space[k]);
  for (const focused of [false, true]) {
    for (const n of sizes) {
      const trials = history(problem, n, focused);
      const capped = resolveTPEOptions({ maxAboveKernels: cap });
      const uncapped = resolveTPEOptions({ maxAboveKernels: Infinity });
      const split = splitTrials(trials, { direction: 'minimize', constantLiar: false, nBelow: (k) => nBelow(capped.gamma, k), exclude: n });
      let same = 0;
      const a: number[][] = [];
      const b: number[][] = [];
      const msU = cpuMs(() => {
        for (let s = 0; s < nSuggestions; s++) a.push(tpeSuggest(split, names, dists, uncapped, new Rng(3, n + s)));
      });
      const msC = cpuMs(() => {
        for (let s = 0; s < nSuggestions; s++) b.push(tpeSuggest(split, names, dists, capped, new Rng(3, n + s)));
      });
      for (let s = 0; s < nSuggestions; s++) if (a[s].every((v, d) => v === b[s][d])) same++;
      console.log(
        `| ${problem.name} | ${focused ? 'focused' : 'uniform'} | ${n} | ${((100 * same) / nSuggestions).toFixed(1)}% | ${(msU / nSuggestions).toFixed(3)} | ` +
          `${(msC / nSuggestions).toFixed(3)} | ${(msU / msC).toFixed(2)}x |`,
      );
    }
  }
}
