/**
 * What random search gets on a lookup table, exactly (issue 15, session 28): the probability of every grid cell under
 * the benchmark's RandomSampler (src/samplers/random.ts: each parameter drawn uniformly over its sampling interval,
 * in log space for a log range, integer and stepped ranges rounded onto their points) and, from it, the exact
 * expected best of n i.i.d. draws (broad/best-of.ts). Session 27's broad-ties.ts estimated the probabilities from
 * 200,000 draws; this integrates them.
 *
 * A parameter's draw is cut into atoms, each a piece of its sampling interval that lands on one grid value: a whole
 * integer or step point (its rounding interval), or for a continuous range the piece between the midpoints of
 * neighbouring grid values in the sampling space (tables.ts scores at the nearest grid value in that same space).
 * Atoms of one parameter that land on the same cell are merged (a table's cell is a mixed-radix index of per-parameter
 * nearest values, so a parameter's cell offset does not depend on the others); conditional parameters are drawn only
 * where their condition holds, as the benchmark's drivers suggest them.
 */
import type { Distribution, ParamValue } from '../../../src/space/distributions.js';
import { toExternal } from '../../../src/space/distributions.js';
import { fromTransformed, stepOf, topOf, toTransformed, transformedBounds } from '../../../src/samplers/numeric-space.js';
import { bestOfIid } from './best-of.js';
import { type Params, type Problem, conditionalNames, unconditionalNames } from '../problems/problem.js';

interface Atom {
  readonly value: ParamValue;
  readonly p: number;
}

type Grid = NonNullable<Problem['grid']>;

/** The measure of [a, b] inside the sampling interval [low, high], as a share of it. */
const share = (a: number, b: number, low: number, high: number): number => Math.max(0, Math.min(b, high) - Math.max(a, low)) / (high - low);

/** A discrete numeric range: each point with the share of the sampling interval that rounds onto it. */
function discreteAtoms(d: Extract<Distribution, { kind: 'int' | 'float' }>): Atom[] {
  const { low, high } = transformedBounds(d);
  const q = stepOf(d) ?? 1;
  const atoms: Atom[] = [];
  for (let v = d.low; v <= topOf(d) + 1e-9 * q; v += q) {
    // Log integer ranges round exp(x) to the nearest integer; linear ranges round x onto the step grid.
    const [a, b] = d.log ? [Math.log(v - 0.5), Math.log(v + 0.5)] : [v - q / 2, v + q / 2];
    atoms.push({ value: fromTransformed(d, (a + b) / 2), p: share(a, b, low, high) });
  }
  return atoms;
}

/** A continuous range scored at the nearest of `axis`: each grid value with its piece of the sampling interval. */
function continuousAtoms(d: Extract<Distribution, { kind: 'float' }>, axis: readonly ParamValue[]): Atom[] {
  const { low, high } = transformedBounds(d);
  const t = (axis as readonly number[]).map((v) => toTransformed(d, v)).sort((x, y) => x - y);
  return t.map((x, i) => {
    const a = i === 0 ? -Infinity : (t[i - 1] + x) / 2;
    const b = i === t.length - 1 ? Infinity : (x + t[i + 1]) / 2;
    return { value: fromTransformed(d, x), p: share(a, b, low, high) };
  });
}

function atomsOf(d: Distribution, axis: readonly ParamValue[] | undefined): Atom[] {
  if (d.kind === 'categorical') return d.choices.map((_, i) => ({ value: toExternal(d, i), p: 1 / d.choices.length }));
  if (d.kind === 'int' || d.step !== null) return discreteAtoms(d);
  if (axis === undefined) throw new Error('a continuous parameter of a table needs its grid values (grid.axes)');
  return continuousAtoms(d, axis);
}

/** Merges the atoms of parameter `name` that land on the same cell, the other parameters held at `base`. */
function mergeByCell(grid: Grid, base: Params, name: string, atoms: readonly Atom[]): Atom[] {
  const byCell = new Map<number, Atom>();
  for (const a of atoms) {
    if (a.p === 0) continue;
    const cell = grid.cellOf({ ...base, [name]: a.value });
    const seen = byCell.get(cell);
    byCell.set(cell, { value: seen?.value ?? a.value, p: (seen?.p ?? 0) + a.p });
  }
  return [...byCell.values()];
}

/** The exact probability of each cell of `problem`'s table under random search's draws (cells never drawn left out). */
export function exactCellProbabilities(problem: Problem): Map<number, number> {
  const grid = problem.grid;
  if (grid === undefined) throw new Error(`${problem.name} is not a lookup table`);
  const names = Object.keys(problem.space);
  const raw = Object.fromEntries(names.map((n) => [n, atomsOf(problem.space[n], grid.axes[n])]));
  const base: Params = Object.fromEntries(names.map((n) => [n, raw[n][0].value]));
  const atoms = Object.fromEntries(names.map((n) => [n, mergeByCell(grid, base, n, raw[n])]));
  const probs = new Map<number, number>();
  const walk = (todo: readonly string[], p: Record<string, ParamValue>, prob: number, conditional: boolean): void => {
    if (todo.length === 0) {
      if (!conditional) return walk(conditionalNames(problem, p), p, prob, true);
      const cell = grid.cellOf(p);
      probs.set(cell, (probs.get(cell) ?? 0) + prob);
      return;
    }
    const [n, ...rest] = todo;
    for (const a of atoms[n]) walk(rest, { ...p, [n]: a.value }, prob * a.p, conditional);
  };
  walk(unconditionalNames(problem), {}, 1, false);
  return probs;
}

/** Random search's exact E[best] − f* and P(f* found) after each of `marks` trials on a table. */
export function exactRandomCurve(problem: Problem, marks: readonly number[]): Map<number, { readonly regret: number; readonly pStar: number }> {
  const probs = exactCellProbabilities(problem);
  const values = [...probs.keys()].map((c) => (problem.grid as Grid).values[c]);
  const p = [...probs.values()];
  return new Map(marks.map((n) => {
    const { mean, pStar } = bestOfIid(values, p, n, problem.optimum);
    return [n, { regret: mean - problem.optimum, pStar }];
  }));
}
