/**
 * Statistics of the broad benchmark: normalised regret, average rank and percentile-bootstrap confidence intervals
 * (Efron & Tibshirani 1993, ch. 13) for differences of means, resampling seeds independently per sampler.
 */
import { Rng } from '../../../src/util/rng.js';

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Regrets above this multiple of random search's count as this (one problem cannot swamp the mean). */
export const REGRET_CAP = 3;

/**
 * (mean best − f*) / (random search's mean best − f*) at the same mark, capped at REGRET_CAP; 1 when both found
 * the optimum on every seed (neither did better than the other).
 */
export function normalisedRegret(best: number, random: number, optimum: number): number {
  const r = Math.max(0, best - optimum);
  const rr = Math.max(0, random - optimum);
  if (rr <= 1e-12) return r <= 1e-12 ? 1 : REGRET_CAP;
  return Math.min(REGRET_CAP, r / rr);
}

/** Ranks (1 = lowest value), ties sharing their mean rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** One bootstrap resample's mean. */
export function resampledMean(xs: readonly number[], rng: Rng): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[rng.int(xs.length)];
  return s / xs.length;
}

export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** The 2.5% and 97.5% points of `stat` over `nBoot` resamples (seeded: the report is reproducible). */
export function bootstrap(stat: (rng: Rng) => number, estimate: number, nBoot = 2000, seed = 15): Interval {
  const rng = new Rng(seed, 0x626f6f74);
  const draws = Float64Array.from({ length: nBoot }, () => stat(rng)).sort();
  return { estimate, low: draws[Math.floor(0.025 * nBoot)], high: draws[Math.ceil(0.975 * nBoot) - 1] };
}

/** 95% interval of mean(a) − mean(b), seeds resampled independently (the samplers' random streams are unrelated). */
export function differenceInterval(a: readonly number[], b: readonly number[]): Interval {
  return bootstrap((rng) => resampledMean(a, rng) - resampledMean(b, rng), mean(a) - mean(b));
}

/** 'better' / 'worse' when the 95% interval of a − b (minimising) excludes 0, else 'tie'. */
export function verdict(i: Interval): 'better' | 'worse' | 'tie' {
  return i.high < 0 ? 'better' : i.low > 0 ? 'worse' : 'tie';
}
