/**
 * The eight benchmark functions of /work/shared/peers/suite.py, ported one for one so parzen and the Optuna peer
 * minimise exactly the same problems over the same spaces.
 */
import { type SearchSpace, categorical, float, int } from '../../src/space/distributions.js';
import type { ParamValue } from '../../src/space/distributions.js';

export type Params = Readonly<Record<string, ParamValue>>;

export interface SuiteFunction {
  readonly space: SearchSpace;
  readonly fn: (p: Params) => number;
  /** Known global minimum, null when none is published. */
  readonly optimum: number | null;
}

const num = (p: Params, k: string): number => p[k] as number;
const vec = (p: Params, n: number): number[] => Array.from({ length: n }, (_, i) => num(p, `x${i}`));
const box = (n: number, lo: number, hi: number): SearchSpace => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, float(lo, hi)]));

function branin(p: Params): number {
  const [x, y] = [num(p, 'x0'), num(p, 'x1')];
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
}

const H6A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H6P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
const H3A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]];
const H3P = [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]];
const HAL = [1.0, 1.2, 3.0, 3.2];

function hartmann(a: number[][], pm: number[][], x: number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < x.length; j++) inner += a[i][j] * (x[j] - pm[i][j] * 1e-4) ** 2;
    s += HAL[i] * Math.exp(-inner);
  }
  return -s;
}

function rosenbrock(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
}

const styblinski = (x: number[]): number => x.reduce((s, v) => s + v ** 4 - 16 * v * v + 5 * v, 0) / 2;

function ackley(x: number[]): number {
  const n = x.length;
  const sq = x.reduce((s, v) => s + v * v, 0) / n;
  const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / n;
  return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
}

function levy(x: number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  let s = Math.sin(Math.PI * w[0]) ** 2;
  for (let i = 0; i < w.length - 1; i++) s += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2);
  const last = w[w.length - 1];
  return s + (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
}

const HIDDEN_COST: Readonly<Record<number, number>> = { 128: 0.15, 256: 0.0, 384: 0.08 };

/** Surrogate of the optimizer subsystem's space: categorical, int, float and log-float. */
function mixedNexus(p: Params): number {
  const lr = num(p, 'learning_rate');
  const l = num(p, 'num_layers');
  let base = (Math.log10(lr) - Math.log10(2.18e-5)) ** 2 * 0.6 + (num(p, 'dropout') - 0.243) ** 2 * 4;
  base += 0.04 * (l - 7) ** 2 + HIDDEN_COST[num(p, 'hidden_dim')] + (num(p, 'num_heads') === 4 ? 0.05 : 0);
  return 0.3 + base + 0.02 * Math.sin(5 * Math.log10(lr)) * (l / 8);
}

export const SUITE: Readonly<Record<string, SuiteFunction>> = {
  branin: { space: { x0: float(-5, 10), x1: float(0, 15) }, fn: branin, optimum: 0.397887 },
  hartmann3: { space: box(3, 0, 1), fn: (p) => hartmann(H3A, H3P, vec(p, 3)), optimum: -3.86278 },
  hartmann6: { space: box(6, 0, 1), fn: (p) => hartmann(H6A, H6P, vec(p, 6)), optimum: -3.32237 },
  rosenbrock4: { space: box(4, -5, 10), fn: (p) => rosenbrock(vec(p, 4)), optimum: 0 },
  styblinski5: { space: box(5, -5, 5), fn: (p) => styblinski(vec(p, 5)), optimum: -39.16617 * 5 },
  ackley5: { space: box(5, -32.768, 32.768), fn: (p) => ackley(vec(p, 5)), optimum: 0 },
  levy6: { space: box(6, -10, 10), fn: (p) => levy(vec(p, 6)), optimum: 0 },
  mixed_nexus: {
    space: {
      hidden_dim: categorical([128, 256, 384]),
      num_layers: int(3, 8),
      num_heads: categorical([4, 8]),
      dropout: float(0.05, 0.3),
      learning_rate: float(1e-5, 5e-4, { log: true }),
    },
    fn: mixedNexus,
    optimum: null,
  },
};
