/**
 * Why a sampler ties with random search on the broad benchmark's lookup tables (issue 15, session 27;
 * docs/benchmarks/samplers.md, "Session 27"). For each table problem it prints
 *
 * - the grid: cells, the cells a suggestion can reach (conditional parameters folded), distinct values, cells at f*;
 * - what random search gets at n trials *exactly*, from the probability of each cell under uniform draws over the
 *   declared space (integrated by broad/cell-probabilities.ts since session 28; session 27 estimated it from 200,000
 *   draws): E[best] − f* and P(f* found) — the best of n i.i.d. draws;
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
import { encodeValue } from '../../src/samplers/gp/encode.js';
import { bestOfDistinct, bestOfIid } from './broad/best-of.js';
import { exactCellProbabilities } from './broad/cell-probabilities.js';
import { askParzen, frozen } from './broad/drivers.js';
import { ruleColumn } from './broad/rules.js';
import { type Params, type Problem, noiseStream } from './problems/problem.js';
import { PROBLEM_NAMES, loadProblems } from './problems/index.js';
import { PARZEN_SAMPLERS } from './broad/samplers.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

type Grid = NonNullable<Problem['grid']>;

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
    history.push(frozen(i, 'COMPLETE', params, dists, e.observed));
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

/** The table's cells, their values and what non-adaptive searches get from them, printed. */
function describeTable(problem: Problem, grid: Grid, nTrials: number): void {
  const probs = exactCellProbabilities(problem);
  const cells = [...probs.keys()];
  const values = cells.map((c) => grid.values[c]);
  const p = cells.map((c) => probs.get(c) as number);
  const fStar = problem.optimum;
  const sorted = [...values].sort((x, y) => x - y);
  const q = (f: number): string => fmt(sorted[Math.floor(f * (sorted.length - 1))] - fStar);
  console.log(`\n${problem.name}: ${grid.values.length} grid cells, ${cells.length} reachable, ${new Set(values).size} distinct values, ${values.filter((v) => v === fStar).length} cell(s) at f* = ${fmt(fStar)}`);
  console.log(`  reachable values − f*: 1% ${q(0.01)}, 5% ${q(0.05)}, 10% ${q(0.1)}, median ${q(0.5)}, max ${q(1)}`);
  const pStar = values.reduce((acc, v, i) => acc + (v === fStar ? p[i] : 0), 0);
  console.log(`  uniform draws over the declared space: cell probabilities ${Math.min(...p).toExponential(2)}–${Math.max(...p).toExponential(2)} (uniform over cells: ${(1 / cells.length).toExponential(2)}); P(a cell at f*) = ${fmt(pStar)}`);
  for (const n of [...new Set([nTrials, 25, 50, 100])]) {
    const iid = bestOfIid(values, p, n, fStar);
    const dis = bestOfDistinct(values, Math.min(n, cells.length), fStar);
    console.log(`  @${n}: random search (exact) best − f* ${fmt(iid.mean - fStar)}, P(f*) ${iid.pStar.toFixed(3)}; ${n} distinct cells uniformly: ${fmt(dis.mean - fStar)}, P(f*) ${dis.pStar.toFixed(3)}`);
  }
}

/** Not a table: a "cell" is an exact parameter set (what a finite or stepped space can repeat). */
function exactCells(): Grid {
  const ids = new Map<string, number>();
  const cellOf = (p: Params): number => {
    const key = JSON.stringify(Object.keys(p).sort().map((n) => p[n]));
    if (!ids.has(key)) ids.set(key, ids.size);
    return ids.get(key) as number;
  };
  return { cellOf, values: [], axes: {} };
}

const median = (xs: readonly number[]): number => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);

function traceSamplers(problem: Problem, grid: Grid, samplers: readonly string[], nTrials: number, nSeeds: number): void {
  for (const name of samplers) {
    const column = name === 'auto' ? ruleColumn('auto', problem.space, nTrials, problem.when !== undefined) : name;
    const runs = Array.from({ length: nSeeds }, (_, seed) => trace(column, problem, grid, seed, nTrials, startupOf(column)));
    const avg = (f: (r: Trace) => number): string => mean(runs.map(f)).toFixed(2);
    console.log(
      `  ${name === 'auto' ? `auto (${column})` : name}, ${nSeeds} seeds @${nTrials}: best − f* ${fmt(mean(runs.map((r) => r.best)) - problem.optimum)}, ` +
        `distinct cells ${avg((r) => r.distinct)}/${nTrials}, repeated cells: start-up ${avg((r) => r.repeatStartup)}, modelled ${avg((r) => r.repeatModelled)}; ` +
        `exact repeats ${avg((r) => r.exactRepeats)}`,
    );
    const gaps = runs.flatMap((r) => r.gaps);
    const rep = gaps.filter((g) => g.repeat).map((g) => g.d);
    const fresh = gaps.filter((g) => !g.repeat).map((g) => g.d);
    if (gaps.length > 0) {
      console.log(
        `      modelled trials' distance to the nearest earlier trial (unit cube): median ${fmt(median(rep))} when repeating a cell (${rep.length}), ` +
          `${fmt(median(fresh))} otherwise (${fresh.length}); below 0.05: ${gaps.filter((g) => g.d < 0.05).length}, of which repeats ${rep.filter((d) => d < 0.05).length}`,
      );
    }
  }
}

function main(): void {
  const names = arg('problems', 'svm_kernels_wine,gb_diabetes,mlp_digits').split(',');
  const nTrials = Number(arg('trials', '12'));
  const nSeeds = Number(arg('seeds', '50'));
  const samplers = arg('samplers', 'random,auto,tpe-h6,gp-iso-h4').split(',');
  if (![nTrials, nSeeds].every((v) => Number.isSafeInteger(v) && v >= 1)) usage('--trials and --seeds take positive integers');
  for (const n of names) if (!PROBLEM_NAMES.includes(n)) usage(`--problems: unknown problem '${n}'; expected names from ${PROBLEM_NAMES.join(', ')}`);
  for (const s of samplers) if (s !== 'auto' && !(s in PARZEN_SAMPLERS)) usage(`--samplers: unknown sampler '${s}'; expected auto or some of ${Object.keys(PARZEN_SAMPLERS).join(', ')}`);
  for (const problem of loadProblems(names)) {
    if (problem.grid === undefined) {
      console.log(`\n${problem.name}: not a lookup table; a cell is an exact parameter set`);
      traceSamplers(problem, exactCells(), samplers, nTrials, nSeeds);
      continue;
    }
    describeTable(problem, problem.grid, nTrials);
    traceSamplers(problem, problem.grid, samplers, nTrials, nSeeds);
  }
}

function usage(msg: string): never {
  console.error(`broad-ties: ${msg}`);
  process.exit(2);
}

main();
