import { ConfigError } from '../errors.js';
import type { FrozenTrial } from '../core/frozen.js';
import type { Distribution } from '../space/distributions.js';
import { toInternal } from '../space/distributions.js';
import { intersectionSearchSpace } from '../samplers/tpe/search-space.js';
import { fitForest, type Columns, type Tree } from './random-forest.js';

/**
 * fANOVA (Hutter, Hoos & Leyton-Brown, "An Efficient Approach for Assessing Hyperparameter Importance", ICML 2014):
 * fit a random forest to (params → value), then, in each tree, split the variance of the function it represents
 * over the (bounded) search space into the share each single parameter's marginal explains. A tree is piecewise
 * constant on leaf boxes, so the marginal of parameter j is piecewise constant between its split thresholds and the
 * integrals are exact sums (the paper's Theorem 2). The importance of j is V_j / V averaged over the trees.
 *
 * Parameters are encoded as the sampler sees them: log ranges in log space, categoricals as their choice index on
 * [−½, k − ½] (a tree isolates any choice with two splits). Slower than PED-ANOVA (it grows a forest), but it
 * explains the whole value surface rather than what reaching the top takes.
 */
export interface FanovaOptions {
  /** Trees in the forest (default 64, as Optuna's FanovaImportanceEvaluator). */
  readonly nTrees?: number;
  /** Default 64. */
  readonly maxDepth?: number;
  /** Default 2 and 1: trees grown out fully, as Optuna's evaluator. */
  readonly minSamplesSplit?: number;
  readonly minSamplesLeaf?: number;
  readonly seed?: number;
}

export interface FanovaImportance {
  readonly param: string;
  /** Share of the summed single-parameter variances (the importances sum to 1). */
  readonly importance: number;
  /** V_j / V: the share of the total variance this parameter's marginal explains alone (the rest is interactions). */
  readonly varianceFraction: number;
}

export interface FanovaResult {
  readonly method: 'fanova';
  /** COMPLETE trials with a finite value and every parameter below. */
  readonly nTrials: number;
  readonly nTrees: number;
  /** Most important first. */
  readonly importances: readonly FanovaImportance[];
}

/**
 * @example const { importances } = fanovaImportance(trials); // [{ param: 'x0', importance: 0.8, varianceFraction: 0.79 }, …]
 */
export function fanovaImportance(trials: readonly FrozenTrial[], o: FanovaOptions = {}): FanovaResult {
  const opts = checkOptions(o);
  const complete = trials.filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value));
  const space = Object.entries(intersectionSearchSpace(complete));
  const result = (importances: FanovaImportance[]): FanovaResult => ({ method: 'fanova', nTrials: complete.length, nTrees: opts.nTrees, importances: importances.sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param)) });
  if (space.length === 0) return result([]);
  const equal = (): FanovaResult => result(space.map(([param]) => ({ param, importance: 1 / space.length, varianceFraction: 0 })));
  if (complete.length < 2) return equal();
  const domain = space.map(([, d]) => bounds(d));
  const columns: Columns = space.map(([name, d]) => Float64Array.from(complete, (t) => encode(d, t.params[name] ?? null)));
  const y = Float64Array.from(complete, (t) => t.value as number);
  const forest = fitForest(columns, y, { nTrees: opts.nTrees, maxDepth: opts.maxDepth, minSamplesSplit: opts.minSamplesSplit, minSamplesLeaf: opts.minSamplesLeaf, seed: opts.seed });
  const sums = new Float64Array(space.length);
  let used = 0;
  for (const tree of forest) {
    const fractions = treeVarianceFractions(tree, domain);
    if (fractions === undefined) continue; // a constant tree explains nothing
    fractions.forEach((f, j) => (sums[j] += f));
    used++;
  }
  if (used === 0) return equal();
  const mean = Array.from(sums, (s) => s / used);
  const total = mean.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return equal();
  return result(space.map(([param], j) => ({ param, importance: mean[j] / total, varianceFraction: mean[j] })));
}

type Interval = readonly [number, number];

function bounds(d: Distribution): Interval {
  if (d.kind === 'categorical') return [-0.5, d.choices.length - 0.5];
  return d.log ? [Math.log(d.low), Math.log(d.high)] : [d.low, d.high];
}

function encode(d: Distribution, v: FrozenTrial['params'][string] | null): number {
  const x = toInternal(d, v);
  return d.kind !== 'categorical' && d.log ? Math.log(x) : x;
}

interface Leaf {
  readonly value: number;
  readonly box: readonly Interval[];
}

/** The leaves of `tree` as boxes inside `domain` (every split narrows one side of its parent's box). */
function leaves(tree: Tree, domain: readonly Interval[]): Leaf[] {
  const out: Leaf[] = [];
  const stack: { node: number; box: Interval[] }[] = [{ node: 0, box: [...domain] }];
  while (stack.length > 0) {
    const { node, box } = stack.pop()!;
    const f = tree.feature[node];
    if (f < 0) {
      out.push({ value: tree.value[node], box });
      continue;
    }
    const t = Math.min(Math.max(tree.threshold[node], box[f][0]), box[f][1]);
    const lo = [...box];
    const hi = [...box];
    lo[f] = [box[f][0], t];
    hi[f] = [t, box[f][1]];
    stack.push({ node: tree.left[node], box: lo }, { node: tree.right[node], box: hi });
  }
  return out;
}

/**
 * V_j / V for each parameter j of one tree, or undefined when the tree is constant over the domain. With leaf
 * volume shares w_l and values v_l: f₀ = Σ w_l v_l, V = Σ w_l (v_l − f₀)², and the marginal of j at x is
 * f_j(x) = Σ_{l ∋ x} v_l · w_l / s_lj (s_lj: leaf l's share of j's range), constant between j's thresholds.
 */
export function treeVarianceFractions(tree: Tree, domain: readonly Interval[]): number[] | undefined {
  const ls = leaves(tree, domain);
  const width = domain.map(([a, b]) => b - a);
  const shares = ls.map((l) => l.box.map(([a, b], j) => (b - a) / width[j]));
  const w = shares.map((s) => s.reduce((p, x) => p * x, 1));
  const f0 = ls.reduce((s, l, i) => s + w[i] * l.value, 0);
  const v = ls.reduce((s, l, i) => s + w[i] * (l.value - f0) ** 2, 0);
  if (!(v > 1e-300)) return undefined;
  return domain.map((_, j) => marginalVariance(ls, shares, w, j, f0, width[j]) / v);
}

/** ∫ (f_j(x) − f₀)² dx / |range_j| by a sweep over j's breakpoints (each leaf adds its contribution on [a, b)). */
function marginalVariance(ls: readonly Leaf[], shares: readonly number[][], w: readonly number[], j: number, f0: number, width: number): number {
  const events: [number, number][] = [];
  ls.forEach((l, i) => {
    const [a, b] = l.box[j];
    if (!(b > a)) return;
    const c = (l.value * w[i]) / shares[i][j];
    events.push([a, c], [b, -c]);
  });
  events.sort((p, q) => p[0] - q[0]);
  let level = 0;
  let acc = 0;
  for (let k = 0; k < events.length; k++) {
    level += events[k][1];
    const next = k + 1 < events.length ? events[k + 1][0] : events[k][0];
    if (next > events[k][0]) acc += ((next - events[k][0]) / width) * (level - f0) ** 2;
  }
  return acc;
}

function checkOptions(o: FanovaOptions): Required<FanovaOptions> {
  const int = (name: keyof FanovaOptions, v: number, min: number): number => {
    if (!Number.isSafeInteger(v) || v < min) throw new ConfigError(`fANOVA ${name} must be an integer ≥ ${min}, got ${v}`, { code: 'USAGE' });
    return v;
  };
  return {
    nTrees: int('nTrees', o.nTrees ?? 64, 1),
    maxDepth: int('maxDepth', o.maxDepth ?? 64, 1),
    minSamplesSplit: int('minSamplesSplit', o.minSamplesSplit ?? 2, 2),
    minSamplesLeaf: int('minSamplesLeaf', o.minSamplesLeaf ?? 1, 1),
    seed: int('seed', o.seed ?? 0, 0),
  };
}
