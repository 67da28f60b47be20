import { Rng } from '../util/rng.js';

/**
 * A regression random forest (Breiman 2001) as fANOVA uses it: CART trees grown on bootstrap samples, each split
 * the one that most reduces the squared error among `maxFeatures` features drawn at the node, thresholds halfway
 * between neighbouring distinct values (scikit-learn's RandomForestRegressor, which Optuna's fANOVA evaluator fits).
 * Pure and seeded: the same data and seed grow the same forest.
 */
export interface ForestOptions {
  readonly nTrees: number;
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features tried at each node (default: all, scikit-learn's default for regression). */
  readonly maxFeatures?: number;
  readonly seed: number;
}

/** One tree in flat arrays; node 0 is the root, a leaf has feature −1. */
export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The mean target of the training rows in the node. */
  readonly value: Float64Array;
}

/** `columns[j][i]`: feature j of row i (column-major, one typed array per feature). */
export type Columns = readonly Float64Array[];

export function fitForest(columns: Columns, y: Float64Array, o: ForestOptions): Tree[] {
  const n = y.length;
  const rng = new Rng(o.seed);
  return Array.from({ length: o.nTrees }, () => {
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
    return fitTree(columns, y, rows, o, rng);
  });
}

interface Pending {
  readonly node: number;
  readonly rows: Int32Array;
  readonly depth: number;
}

function fitTree(columns: Columns, y: Float64Array, rows: Int32Array, o: ForestOptions, rng: Rng): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const add = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    return feature.length - 1;
  };
  const stack: Pending[] = [{ node: add(), rows, depth: 0 }];
  const d = columns.length;
  const nTry = Math.min(d, Math.max(1, o.maxFeatures ?? d));
  const order = Array.from({ length: d }, (_, j) => j);
  while (stack.length > 0) {
    const { node, rows: r, depth } = stack.pop()!;
    let sum = 0;
    for (const i of r) sum += y[i];
    value[node] = sum / r.length;
    if (r.length < o.minSamplesSplit || depth >= o.maxDepth) continue;
    const tried = nTry === d ? order : rng.shuffle([...order]).slice(0, nTry);
    const split = bestSplit(columns, y, r, tried, o.minSamplesLeaf);
    if (split === undefined) continue;
    const col = columns[split.feature];
    const lo = r.filter((i) => col[i] <= split.threshold);
    const hi = r.filter((i) => col[i] > split.threshold);
    feature[node] = split.feature;
    threshold[node] = split.threshold;
    left[node] = add();
    right[node] = add();
    stack.push({ node: left[node], rows: lo, depth: depth + 1 }, { node: right[node], rows: hi, depth: depth + 1 });
  }
  return { feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right), value: Float64Array.from(value) };
}

/**
 * The split of `rows` with the largest drop in squared error: maximising sumL²/nL + sumR²/nR is the same as
 * minimising the two sides' summed squared deviations. Undefined when no feature varies (a leaf).
 */
function bestSplit(columns: Columns, y: Float64Array, rows: Int32Array, features: readonly number[], minLeaf: number): { feature: number; threshold: number } | undefined {
  const m = rows.length;
  let total = 0;
  for (const i of rows) total += y[i];
  let best = (total * total) / m + 1e-12 * Math.abs(total);
  let out: { feature: number; threshold: number } | undefined;
  const sorted = new Int32Array(m);
  for (const f of features) {
    const col = columns[f];
    sorted.set(rows);
    sorted.sort((a, b) => col[a] - col[b]);
    let sumL = 0;
    for (let k = 0; k < m - 1; k++) {
      sumL += y[sorted[k]];
      const x0 = col[sorted[k]];
      const x1 = col[sorted[k + 1]];
      const nL = k + 1;
      if (x0 === x1 || nL < minLeaf || m - nL < minLeaf) continue;
      const sumR = total - sumL;
      const score = (sumL * sumL) / nL + (sumR * sumR) / (m - nL);
      if (score > best) {
        best = score;
        const mid = (x0 + x1) / 2;
        out = { feature: f, threshold: mid < x1 ? mid : x0 }; // neighbouring doubles: the midpoint may round up to x1

      }
    }
  }
  return out;
}
