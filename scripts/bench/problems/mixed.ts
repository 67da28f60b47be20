/**
 * Mixed-space problems of the broad benchmark: categorical × log-float, integers and steps, a conditional space and a
 * categorical-only one. Each is a closed-form surrogate with a known minimum, shaped like a tuning problem.
 */
import { categorical, float, int } from '../../../src/space/distributions.js';
import { Rng } from '../../../src/util/rng.js';
import { type Params, type Problem, exact } from './problem.js';

const num = (p: Params, k: string): number => p[k] as number;

/** Optimiser choice × learning rate × weight decay: each optimiser has its own best learning rate and curvature. */
const OPTIMISERS: Readonly<Record<string, { base: number; lr: number; a: number }>> = {
  sgd: { base: 0.3, lr: -1, a: 0.5 },
  momentum: { base: 0.15, lr: -1.8, a: 0.6 },
  adam: { base: 0.05, lr: -3.3, a: 1.2 },
  rmsprop: { base: 0.1, lr: -3.0, a: 2.0 },
};

const catLogFloat: Problem = {
  name: 'cat_logfloat',
  family: 'mixed',
  split: 'select',
  description: 'optimiser (4-way categorical) × log learning rate × log weight decay, optimiser-dependent optimum',
  space: { optimiser: categorical(Object.keys(OPTIMISERS)), lr: float(1e-5, 1, { log: true }), weight_decay: float(1e-7, 1e-1, { log: true }) },
  evaluate: (p) => {
    const o = OPTIMISERS[p.optimiser as string];
    const lr = Math.log10(num(p, 'lr'));
    const wd = Math.log10(num(p, 'weight_decay'));
    return exact(o.base + o.a * (lr - o.lr) ** 2 * 0.25 + 0.02 * (wd + 4) ** 2 + 0.01 * (lr - o.lr) * (wd + 4));
  },
  optimum: 0.05,
};

/** Log-scale integer, integer, stepped float and stepped integer; the optimum sits on the grid, so f* = 0. */
const intStep: Problem = {
  name: 'int_step',
  family: 'mixed',
  split: 'holdout',
  description: 'batch (log int 8–1024) × layers (int 1–10) × dropout (step 0.05) × width (step 32), with an interaction',
  space: { batch: int(8, 1024, { log: true }), layers: int(1, 10), dropout: float(0, 0.8, { step: 0.05 }), width: int(32, 512, { step: 32 }) },
  evaluate: (p) => {
    const b = Math.log2(num(p, 'batch')) - 6;
    const l = num(p, 'layers') - 4;
    const d = num(p, 'dropout') - 0.35;
    const w = (num(p, 'width') - 224) / 100;
    return exact(Math.max(0, b * b / 4 + 0.1 * l * l + 10 * d * d + w * w + 0.1 * l * d + 0.3 * b * w));
  },
  optimum: 0,
};

/** Three model families, each with its own parameters (suggested only for that family). */
const conditional: Problem = {
  name: 'conditional_models',
  family: 'mixed',
  split: 'select',
  description: 'model ∈ {linear, tree, kernel}, each with its own parameters (conditional space, 1 + 5 parameters)',
  space: {
    model: categorical(['linear', 'tree', 'kernel']),
    l2: float(1e-6, 10, { log: true }),
    depth: int(1, 20),
    min_leaf: int(1, 50, { log: true }),
    C: float(1e-3, 1e3, { log: true }),
    gamma: float(1e-4, 10, { log: true }),
  },
  when: {
    l2: (p) => p.model === 'linear',
    depth: (p) => p.model === 'tree',
    min_leaf: (p) => p.model === 'tree',
    C: (p) => p.model === 'kernel',
    gamma: (p) => p.model === 'kernel',
  },
  evaluate: (p) => {
    if (p.model === 'linear') return exact(0.3 + 0.02 * (Math.log10(num(p, 'l2')) + 1) ** 2);
    if (p.model === 'tree') return exact(0.2 + 0.004 * (num(p, 'depth') - 9) ** 2 + 0.05 * (Math.log10(num(p, 'min_leaf')) - 0.6) ** 2);
    const c = Math.log10(num(p, 'C')) - 1.5;
    const g = Math.log10(num(p, 'gamma')) + 2.2;
    return exact(0.1 + 0.08 * (c * c + 3 * g * g + 1.5 * c * g) / (1 + 0.02 * (c * c + g * g)));
  },
  optimum: 0.1,
};

/** Six categoricals (3, 4, 5, 3, 4, 5 choices) with main effects and neighbour interactions drawn once from a fixed seed. */
const SIZES = [3, 4, 5, 3, 4, 5];
const tables = (() => {
  const rng = new Rng(20261203, 6);
  const main = SIZES.map((k) => Array.from({ length: k }, () => rng.random()));
  const pair = SIZES.slice(1).map((k, i) => Array.from({ length: SIZES[i] }, () => Array.from({ length: k }, () => 0.8 * rng.random())));
  return { main, pair };
})();
const catValue = (c: readonly number[]): number => c.reduce((s, v, i) => s + tables.main[i][v] + (i > 0 ? tables.pair[i - 1][c[i - 1]][v] : 0), 0);
const catMin = (() => {
  let best = Infinity;
  const walk = (prefix: number[]): void => {
    if (prefix.length === SIZES.length) best = Math.min(best, catValue(prefix));
    else for (let v = 0; v < SIZES[prefix.length]; v++) walk([...prefix, v]);
  };
  walk([]);
  return best;
})();

const categorical6: Problem = {
  name: 'categorical6',
  family: 'mixed',
  split: 'holdout',
  description: 'six categoricals (3–5 choices; 3,600 points) with main effects and neighbour interactions',
  space: Object.fromEntries(SIZES.map((k, i) => [`c${i}`, categorical(Array.from({ length: k }, (_, j) => `v${j}`))])),
  evaluate: (p) => exact(catValue(SIZES.map((_, i) => Number((p[`c${i}`] as string).slice(1))))),
  optimum: catMin,
};

/** An integer quadratic with correlated axes; its minimiser is an integer point. */
const Q = [[4, 1.5, 0, 0], [1.5, 2, 0.5, 0], [0, 0.5, 1, 0.2], [0, 0, 0.2, 0.5]];
const Q_MIN = [3, -7, 11, -2];
const intQuadratic: Problem = {
  name: 'int_quadratic4',
  family: 'mixed',
  split: 'select',
  description: 'correlated quadratic over four integers in [-20, 20]',
  space: Object.fromEntries([0, 1, 2, 3].map((i) => [`n${i}`, int(-20, 20)])),
  evaluate: (p) => {
    const d = [0, 1, 2, 3].map((i) => num(p, `n${i}`) - Q_MIN[i]);
    return exact(d.reduce((s, di, i) => s + d.reduce((t, dj, j) => t + Q[i][j] * di * dj, 0), 0));
  },
  optimum: 0,
};

export const MIXED_PROBLEMS: readonly Problem[] = [catLogFloat, intStep, conditional, categorical6, intQuadratic];
