/**
 * Why a sampler ties with random search on the broad benchmark's lookup tables (issue 15, session 27;
 * docs/benchmarks/samplers.md, "Session 27"). For each table problem it prints
 *
 * - the grid: cells, the cells a suggestion can reach (conditional parameters folded), distinct values, cells at f*;
 * - what random search gets at n trials *exactly*, from the probability of each cell under uniform draws over the
 *   declared space (estimated from 200,000 draws): E[best] − f* and P(f* found) — the best of n i.i.d. draws;
 * - the same for n distinct reachable cells drawn uniformly (a design that knows the grid, never repeats a cell and
 *   weighs every cell alike) — how much "never re-evaluate a cell" could buy without any model;
 * - for each sampler named, seeds 0..seeds−1 at n trials: mean best − f*, distinct cells among the n trials, trials
 *   spent on a cell already evaluated (start-up and modelled trials apart), exact repeats of a parameter set.
 *
 *   npx tsc -p tsconfig.json
 *   node dist/scripts/bench/broad-ties.js [--problems svm_kernels_wine,gb_diabetes,mlp_digits] [--trials 12] [--seeds 50]
 *       [--samplers random,auto,tpe-h6,gp-iso-h4]
 *
 * `auto` is makeSampler's rule at the budget (scripts/bench/broad/rules.ts), run as the column it picks.
 */
import type { FrozenTrial } from '../../src/core/frozen.js';
import type { ParamValue } from '../../src/space/distributions.js';
import { sampleUniform } from '../../src/samplers/random.js';
import { encodeValue } from '../../src/samplers/gp/encode.js';
import { Rng } from '../../src/util/rng.js';
import { askParzen } from './broad/drivers.js';
import { ruleColumn } from './broad/rules.js';
import { type Params, type Problem, conditionalNames, noiseStream, unconditionalNames } from './problems/problem.js';
import { loadProblems } from './problems/index.js';
import { PARZEN_SAMPLERS } from './broad/samplers.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

type Grid = NonNullable<Problem['grid']>;

/** A uniform draw over the declared space, conditional parameters drawn only where their condition holds. */
function uniformDraw(problem: Problem, rng: Rng): Params {
  const p: Record<string, ParamValue> = {};
  for (const n of unconditionalNames(problem)) p[n] = sampleUniform(problem.space[n], rng);
  for (const n of conditionalNames(problem, p)) p[n] = sampleUniform(problem.space[n], rng);
  return p;
}

/** Probability of each cell under uniform draws over the declared space (Monte Carlo). */
function cellProbabilities(problem: Problem, grid: Grid, nDraws: number): Map<number, number> {
  const rng = new Rng(0x7469, 1);
  const counts = new Map<number, number>();
  for (let i = 0; i < nDraws; i++) {
    const c = grid.cellOf(uniformDraw(problem, rng));
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return new Map([...counts].map(([c, k]) => [c, k / nDraws]));
}

/** E[min] and P(min = f*) of n i.i.d. draws from a discrete distribution of values. */
function bestOfIid(values: readonly number[], probs: readonly number[], n: number, fStar: number): { mean: number; pStar: number } {
  const order = values.map((v, i) => ({ v, p: probs[i] })).sort((a, b) => b.v - a.v);
  // S = P(value ≥ v) accumulated from the top: P(min = v_k) = P(all ≥ v_k) − P(all > v_k).
  let above = 0;
  let mean = 0;
  for (const { v, p } of order) {
    const geq = above + p;
    mean += v * (geq ** n - above ** n);
    above = geq;
  }
  const pStar = 1 - (1 - probs.reduce((s, p, i) => s + (values[i] === fStar ? p : 0), 0)) ** n;
  return { mean, pStar };
}

/** E[min] and P(min = f*) of n distinct cells drawn uniformly without replacement from `values`. */
function bestOfDistinct(values: readonly number[], n: number, fStar: number): { mean: number; pStar: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const m = sorted.length;
  // P(min is the k-th smallest) = C(m−k−1, n−1) / C(m, n), computed as a running ratio.
  let mean = 0;
  let pk = n / m;
  for (let k = 0; k <= m - n; k++) {
    mean += sorted[k] * pk;
    pk *= (m - k - n) / (m - k - 1);
  }
  const nStar = sorted.filter((v) => v === fStar).length;
  let pNone = 1;
  for (let i = 0; i < n; i++) pNone *= (m - nStar - i) / (m - i);
  return { mean, pStar: 1 - pNone };
}

interface Trace {
  readonly best: number;
  /** Unit-cube distance (Euclidean over numeric coordinates, 1 per differing categorical) of each modelled trial to the nearest earlier one, and whether it repeated a cell. */
  readonly gaps: readonly { readonly d: number; readonly repeat: boolean }[];
  readonly distinct: number;
  readonly repeatStartup: number;
  readonly repeatModelled: number;
  readonly exactRepeats: number;
}

/** One run, recording the cell of every trial. `nStartup`: trials before the sampler models (for the split). */
function trace(sampler: string, problem: Problem, grid: Grid, seed: number, nTrials: number, nStartup: number): Trace {
  const s = PARZEN_SAMPLERS[sampler](seed, problem);
  const history: FrozenTrial[] = [];
  const seen = new Set<number>();
  const seenParams = new Set<string>();
  let [best, repeatStartup, repeatModelled, exactRepeats] = [Infinity, 0, 0, 0];
  const gaps: { d: number; repeat: boolean }[] = [];
  const names = Object.keys(problem.space);
  const unit = (p: Params): number[] => names.map((n) => (n in p ? encodeValue(problem.space[n], p[n]) : NaN));
  const points: number[][] = [];
  for (let i = 0; i < nTrials; i++) {
    const params = askParzen(s, problem, history);
    const cell = grid.cellOf(params);
    const u = unit(params);
    if (i >= nStartup && points.length > 0) {
      const dist = (v: number[]): number =>
        Math.sqrt(names.reduce((acc, n, j) => {
          if (Number.isNaN(u[j]) || Number.isNaN(v[j])) return acc;
          const diff = problem.space[n].kind === 'categorical' ? Number(u[j] !== v[j]) : u[j] - v[j];
          return acc + diff * diff;
        }, 0));
      gaps.push({ d: Math.min(...points.map(dist)), repeat: seen.has(cell) });
    }
    points.push(u);
    if (seen.has(cell)) i < nStartup ? repeatStartup++ : repeatModelled++;
    seen.add(cell);
    const key = JSON.stringify(Object.keys(params).sort().map((n) => params[n]));
    if (seenParams.has(key)) exactRepeats++;
    seenParams.add(key);
    const e = problem.evaluate(params, noiseStream(seed, i));
    best = Math.min(best, e.truth);
    const dists = Object.fromEntries(Object.keys(params).map((n) => [n, problem.space[n]]));
    history.push({
      trialId: i + 1, studyId: 1, number: i, state: 'COMPLETE', value: e.observed, params, distributions: dists,
      intermediateValues: new Map(), userAttrs: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null,
      heartbeat: null, error: null, worker: null, seed: null, codeVersion: null, budget: null, retryOf: null,
    });
  }
  return { best, gaps, distinct: seen.size, repeatStartup, repeatModelled, exactRepeats };
}

/** A column's start-up count: `-h<n>` in its name, 8 for `tpe` and the GP default, every trial for random search. */
function startupOf(column: string): number {
  if (column === 'random' || column.startsWith('optuna-random')) return Infinity;
  const m = /-h(\d+)/.exec(column);
  return m === null ? 8 : Number(m[1]);
}
const fmt = (v: number): string => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(3) : v.toPrecision(3));
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function main(): void {
  const names = arg('problems', 'svm_kernels_wine,gb_diabetes,mlp_digits').split(',');
  const nTrials = Number(arg('trials', '12'));
  const nSeeds = Number(arg('seeds', '50'));
  const samplers = arg('samplers', 'random,auto,tpe-h6,gp-iso-h4').split(',');
  for (const problem of loadProblems(names)) {
    if (problem.grid === undefined) {
      // Not a table: a "cell" is an exact parameter set (what a finite or stepped space can repeat).
      const ids = new Map<string, number>();
      const cellOf = (p: Params): number => {
        const key = JSON.stringify(Object.keys(p).sort().map((n) => p[n]));
        if (!ids.has(key)) ids.set(key, ids.size);
        return ids.get(key) as number;
      };
      console.log(`\n${problem.name}: not a lookup table; a cell is an exact parameter set`);
      traceSamplers(problem, { cellOf, values: [] }, samplers, nTrials, nSeeds);
      continue;
    }
    const grid = problem.grid;
    const probs = cellProbabilities(problem, grid, 200_000);
    const cells = [...probs.keys()];
    const values = cells.map((c) => grid.values[c]);
    const fStar = problem.optimum;
    const atStar = values.filter((v) => v === fStar).length;
    const q = (f: number): number => [...values].sort((a, b) => a - b)[Math.floor(f * (values.length - 1))];
    console.log(`\n${problem.name}: ${grid.values.length} grid cells, ${cells.length} reachable, ${new Set(values).size} distinct values, ${atStar} cell(s) at f* = ${fmt(fStar)}`);
    console.log(`  reachable values − f*: 1% ${fmt(q(0.01) - fStar)}, 5% ${fmt(q(0.05) - fStar)}, 10% ${fmt(q(0.1) - fStar)}, median ${fmt(q(0.5) - fStar)}, max ${fmt(Math.max(...values) - fStar)}`);
    const pMin = Math.min(...cells.map((c) => probs.get(c) as number));
    const pMax = Math.max(...cells.map((c) => probs.get(c) as number));
    console.log(`  uniform draws over the declared space: cell probabilities ${pMin.toExponential(2)}–${pMax.toExponential(2)} (uniform over cells: ${(1 / cells.length).toExponential(2)}); P(a cell at f*) = ${fmt(values.reduce((s, v, i) => s + (v === fStar ? (probs.get(cells[i]) as number) : 0), 0))}`);
    for (const n of [nTrials, 25, 50, 100]) {
      const iid = bestOfIid(values, cells.map((c) => probs.get(c) as number), n, fStar);
      const dis = bestOfDistinct(values, Math.min(n, cells.length), fStar);
      console.log(`  @${n}: random search (exact) best − f* ${fmt(iid.mean - fStar)}, P(f*) ${iid.pStar.toFixed(3)}; ${n} distinct cells uniformly: ${fmt(dis.mean - fStar)}, P(f*) ${dis.pStar.toFixed(3)}`);
    }
    traceSamplers(problem, grid, samplers, nTrials, nSeeds);
  }
}

function traceSamplers(problem: Problem, grid: Grid, samplers: readonly string[], nTrials: number, nSeeds: number): void {
  const fStar = problem.optimum;
  {
    for (const name of samplers) {
      const column = name === 'auto' ? ruleColumn('auto', problem.space, nTrials, problem.when !== undefined) : name;
      const runs = Array.from({ length: nSeeds }, (_, seed) => trace(column, problem, grid, seed, nTrials, startupOf(column)));
      console.log(
        `  ${name === 'auto' ? `auto (${column})` : name}, ${nSeeds} seeds @${nTrials}: best − f* ${fmt(mean(runs.map((r) => r.best)) - fStar)}, ` +
          `distinct cells ${mean(runs.map((r) => r.distinct)).toFixed(2)}/${nTrials}, repeated cells: start-up ${mean(runs.map((r) => r.repeatStartup)).toFixed(2)}, ` +
          `modelled ${mean(runs.map((r) => r.repeatModelled)).toFixed(2)}; exact repeats ${mean(runs.map((r) => r.exactRepeats)).toFixed(2)}`,
      );
      const gaps = runs.flatMap((r) => r.gaps);
      const median = (xs: number[]): number => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
      const rep = gaps.filter((g) => g.repeat).map((g) => g.d);
      const fresh = gaps.filter((g) => !g.repeat).map((g) => g.d);
      if (gaps.length > 0 && column !== 'random') {
        console.log(`      modelled trials' distance to the nearest earlier trial (unit cube): median ${fmt(median(rep))} when repeating a cell (${rep.length}), ${fmt(median(fresh))} otherwise (${fresh.length}); below 0.05: ${gaps.filter((g) => g.d < 0.05).length}, of which repeats ${rep.filter((d) => d < 0.05).length}`);
      }
    }
  }
}

main();
