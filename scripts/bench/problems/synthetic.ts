/**
 * Synthetic test functions of the broad benchmark (definitions and optima from Surjanovic & Bingham's Virtual Library
 * of Simulation Experiments, sfu.ca/~ssurjano, and Hansen et al.'s BBOB suite for the ill-conditioned ones).
 * None of them is one of the eight functions (at the same dimension) the TPE default was tuned on earlier.
 */
import { type SearchSpace, float } from '../../../src/space/distributions.js';
import { type Evaluation, type Family, type Params, type Problem, exact } from './problem.js';

type Vec = (x: readonly number[]) => number;

const box = (n: number, lo: number, hi: number): SearchSpace => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, float(lo, hi)]));
const vec = (p: Params, n: number): number[] => Array.from({ length: n }, (_, i) => p[`x${i}`] as number);
const sum = (n: number, f: (i: number) => number): number => Array.from({ length: n }, (_, i) => f(i)).reduce((a, b) => a + b, 0);

const ackley: Vec = (x) => {
  const n = x.length;
  return -20 * Math.exp(-0.2 * Math.sqrt(sum(n, (i) => x[i] ** 2) / n)) - Math.exp(sum(n, (i) => Math.cos(2 * Math.PI * x[i])) / n) + 20 + Math.E;
};
const rastrigin: Vec = (x) => 10 * x.length + sum(x.length, (i) => x[i] ** 2 - 10 * Math.cos(2 * Math.PI * x[i]));
const schwefel: Vec = (x) => 418.9829 * x.length - sum(x.length, (i) => x[i] * Math.sin(Math.sqrt(Math.abs(x[i]))));
const griewank: Vec = (x) => sum(x.length, (i) => x[i] ** 2) / 4000 - x.reduce((a, v, i) => a * Math.cos(v / Math.sqrt(i + 1)), 1) + 1;
const michalewicz: Vec = (x) => -sum(x.length, (i) => Math.sin(x[i]) * Math.sin(((i + 1) * x[i] ** 2) / Math.PI) ** 20);
const SHEKEL_C = [0.1, 0.2, 0.2, 0.4, 0.4, 0.6, 0.3, 0.7, 0.5, 0.5];
const SHEKEL_A = [[4, 4, 4, 4], [1, 1, 1, 1], [8, 8, 8, 8], [6, 6, 6, 6], [3, 7, 3, 7], [2, 9, 2, 9], [5, 5, 3, 3], [8, 1, 8, 1], [6, 2, 6, 2], [7, 3.6, 7, 3.6]];
const shekel: Vec = (x) => -sum(10, (i) => 1 / (SHEKEL_C[i] + sum(4, (j) => (x[j] - SHEKEL_A[i][j]) ** 2)));
const camel: Vec = ([x, y]) => (4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;
const rosenbrock: Vec = (x) => sum(x.length - 1, (i) => 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2);
/** BBOB f2: condition number 10^6 along the axes. */
const ellipsoid: Vec = (x) => sum(x.length, (i) => 10 ** ((6 * i) / (x.length - 1)) * x[i] ** 2);
const dixonPrice: Vec = (x) => (x[0] - 1) ** 2 + sum(x.length - 1, (i) => (i + 2) * (2 * x[i + 1] ** 2 - x[i]) ** 2);
const zakharov: Vec = (x) => {
  const s2 = sum(x.length, (i) => 0.5 * (i + 1) * x[i]);
  return sum(x.length, (i) => x[i] ** 2) + s2 ** 2 + s2 ** 4;
};
/** BBOB f12 (unrotated): one direction 10^3 times less sensitive than the others. */
const bentCigar: Vec = (x) => x[0] ** 2 + 1e6 * sum(x.length - 1, (i) => x[i + 1] ** 2);
/** BBOB f14 (unrotated): sensitivity grows from |x|² to |x|⁶ along the axes. */
const differentPowers: Vec = (x) => Math.sqrt(sum(x.length, (i) => Math.abs(x[i]) ** (2 + (4 * i) / (x.length - 1))));
const step: Vec = (x) => sum(x.length, (i) => Math.floor(x[i] + 0.5) ** 2);
const easom: Vec = ([x, y]) => -Math.cos(x) * Math.cos(y) * Math.exp(-((x - Math.PI) ** 2) - (y - Math.PI) ** 2);
/** Shifted so the optimum is not at the centre of the box, where a quasi-random start-up's first point lands. */
const SPHERE_SHIFT = [1.3, -2.1, 0.7, 2.9, -0.4, -3.3, 1.8, -1.1];
const shiftedSphere: Vec = (x) => sum(x.length, (i) => (x[i] - SPHERE_SHIFT[i]) ** 2);
const threeHumpCamel: Vec = ([x, y]) => 2 * x * x - 1.05 * x ** 4 + x ** 6 / 6 + x * y + y * y;

interface Spec {
  readonly name: string;
  readonly family: Family;
  readonly description: string;
  readonly space: SearchSpace;
  readonly dim: number;
  readonly fn: Vec;
  readonly optimum: number;
  /** Standard deviation of additive Gaussian noise on what the sampler sees. */
  readonly noise?: number;
  /** Round the value to multiples of this (plateaus). */
  readonly quantum?: number;
}

function problem(s: Spec, split: 'select' | 'holdout'): Problem {
  const value = (p: Params): number => {
    const v = s.fn(vec(p, s.dim));
    return s.quantum === undefined ? v : Math.round(v / s.quantum) * s.quantum;
  };
  const evaluate = (p: Params, noise: () => number): Evaluation => {
    const truth = value(p);
    return s.noise === undefined ? exact(truth) : { observed: truth + s.noise * noise(), truth };
  };
  return { name: s.name, family: s.family, split, description: s.description, space: s.space, evaluate, optimum: s.optimum };
}

const camelSpace: SearchSpace = { x0: float(-3, 3), x1: float(-2, 2) };

/** In family order; the fixed split alternates select / holdout within each family (decided before any run). */
const SPECS: readonly Spec[] = [
  { name: 'ackley10', family: 'multimodal', description: 'Ackley, 10-D, [-32.768, 32.768]', space: box(10, -32.768, 32.768), dim: 10, fn: ackley, optimum: 0 },
  { name: 'rastrigin4', family: 'multimodal', description: 'Rastrigin, 4-D, [-5.12, 5.12]', space: box(4, -5.12, 5.12), dim: 4, fn: rastrigin, optimum: 0 },
  { name: 'schwefel4', family: 'multimodal', description: 'Schwefel, 4-D, [-500, 500]', space: box(4, -500, 500), dim: 4, fn: schwefel, optimum: schwefel([420.968746, 420.968746, 420.968746, 420.968746]) },
  { name: 'griewank8', family: 'multimodal', description: 'Griewank, 8-D, [-600, 600]', space: box(8, -600, 600), dim: 8, fn: griewank, optimum: 0 },
  { name: 'michalewicz5', family: 'multimodal', description: 'Michalewicz (m = 10), 5-D, [0, π]', space: box(5, 0, Math.PI), dim: 5, fn: michalewicz, optimum: -4.687658 },
  { name: 'shekel4', family: 'multimodal', description: 'Shekel (m = 10), 4-D, [0, 10]', space: box(4, 0, 10), dim: 4, fn: shekel, optimum: -10.536443 },
  { name: 'camel2', family: 'multimodal', description: 'six-hump camel, 2-D', space: camelSpace, dim: 2, fn: camel, optimum: -1.0316285 },
  { name: 'rosenbrock8', family: 'ill-conditioned', description: 'Rosenbrock, 8-D, [-5, 10]', space: box(8, -5, 10), dim: 8, fn: rosenbrock, optimum: 0 },
  { name: 'ellipsoid10', family: 'ill-conditioned', description: 'separable ellipsoid (BBOB f2), condition 10^6, 10-D, [-5, 5]', space: box(10, -5, 5), dim: 10, fn: ellipsoid, optimum: 0 },
  { name: 'dixon_price6', family: 'ill-conditioned', description: 'Dixon–Price, 6-D, [-10, 10]', space: box(6, -10, 10), dim: 6, fn: dixonPrice, optimum: 0 },
  { name: 'zakharov6', family: 'ill-conditioned', description: 'Zakharov, 6-D, [-5, 10]', space: box(6, -5, 10), dim: 6, fn: zakharov, optimum: 0 },
  { name: 'bent_cigar10', family: 'ill-conditioned', description: 'bent cigar (BBOB f12, unrotated), 10-D, [-5, 5]', space: box(10, -5, 5), dim: 10, fn: bentCigar, optimum: 0 },
  { name: 'different_powers20', family: 'ill-conditioned', description: 'different powers (BBOB f14, unrotated), 20-D, [-1, 1]', space: box(20, -1, 1), dim: 20, fn: differentPowers, optimum: 0 },
  { name: 'step6', family: 'plateau', description: "De Jong's step function Σ⌊x + ½⌋², 6-D, [-5.12, 5.12]", space: box(6, -5.12, 5.12), dim: 6, fn: step, optimum: 0 },
  { name: 'quantized_camel2', family: 'plateau', description: 'six-hump camel rounded to multiples of 0.25', space: camelSpace, dim: 2, fn: camel, optimum: -1, quantum: 0.25 },
  { name: 'easom2', family: 'plateau', description: 'Easom, 2-D, [-10, 10] (flat but for one well)', space: box(2, -10, 10), dim: 2, fn: easom, optimum: -1 },
  { name: 'noisy_sphere8', family: 'noisy', description: 'shifted sphere, 8-D, [-5, 5], Gaussian noise σ = 1', space: box(8, -5, 5), dim: 8, fn: shiftedSphere, optimum: 0, noise: 1 },
  { name: 'noisy_camel2', family: 'noisy', description: 'six-hump camel, Gaussian noise σ = 0.1', space: camelSpace, dim: 2, fn: camel, optimum: -1.0316285, noise: 0.1 },
  { name: 'noisy_rastrigin3', family: 'noisy', description: 'Rastrigin, 3-D, [-5.12, 5.12], Gaussian noise σ = 1', space: box(3, -5.12, 5.12), dim: 3, fn: rastrigin, optimum: 0, noise: 1 },
];

function alternate(specs: readonly Spec[]): Problem[] {
  const seen = new Map<Family, number>();
  return specs.map((s) => {
    const i = seen.get(s.family) ?? 0;
    seen.set(s.family, i + 1);
    return problem(s, i % 2 === 0 ? 'select' : 'holdout');
  });
}

/**
 * Session 29c's plateau problems (docs/benchmarks/samplers.md, "Session 29c, declaration"): quantized 2–3-D functions
 * where `auto` runs TPE, so that a rule about tied values meets distinct points at equal values on the selection part.
 * All in the selection part, outside the alternation above (which stays as it was fixed); declared before any run.
 */
const PLATEAU_SPECS_29C: readonly Spec[] = [
  { name: 'quantized_threehump2', family: 'plateau', description: 'three-hump camel, 2-D, [-5, 5], rounded to multiples of 0.25', space: box(2, -5, 5), dim: 2, fn: threeHumpCamel, optimum: 0, quantum: 0.25 },
  { name: 'quantized_rosenbrock2', family: 'plateau', description: 'Rosenbrock, 2-D, [-2, 2], rounded to multiples of 0.5', space: box(2, -2, 2), dim: 2, fn: rosenbrock, optimum: 0, quantum: 0.5 },
  { name: 'quantized_sphere3', family: 'plateau', description: 'shifted sphere, 3-D, [-5, 5], rounded to multiples of 0.5', space: box(3, -5, 5), dim: 3, fn: shiftedSphere, optimum: 0, quantum: 0.5 },
];

export const SYNTHETIC_PROBLEMS: readonly Problem[] = [...alternate(SPECS), ...PLATEAU_SPECS_29C.map((s) => problem(s, 'select'))];
