/**
 * Maximising log EI over the unit cube: a batch of uniform candidates plus perturbations of the best observed
 * points (where improvement is most likely), then coordinate-wise local search from the best few. Cheap and
 * derivative-free, like Optuna 4's GPSampler's preliminary sampling before its local search.
 */
import type { Distribution } from '../../space/distributions.js';
import type { Rng } from '../../util/rng.js';
import { type PosteriorScratch, logExpectedImprovement, posterior, posteriorScratch } from './acquisition.js';
import { roundTrip } from './encode.js';
import type { FittedGP } from './fit.js';

export interface AcquisitionSearch {
  readonly nRandom: number;
  readonly nPerturbPerBest: number;
  readonly nBest: number;
  readonly nLocalStarts: number;
}

export const DEFAULT_ACQUISITION_SEARCH: AcquisitionSearch = { nRandom: 128, nPerturbPerBest: 16, nBest: 5, nLocalStarts: 3 };

/** Uniform candidates, then Gaussian perturbations (σ = 0.1; categoricals redrawn with probability 1/d) of the best observed points. */
function candidates(gp: FittedGP, dists: readonly Distribution[], rng: Rng, o: AcquisitionSearch): Float64Array[] {
  const d = dists.length;
  const draw = (j: number): number => {
    const dist = dists[j];
    return dist.kind === 'categorical' ? rng.int(dist.choices.length) : rng.random();
  };
  const out: Float64Array[] = [];
  for (let c = 0; c < o.nRandom; c++) out.push(Float64Array.from({ length: d }, (_, j) => roundTrip(dists[j], draw(j))));
  const order = Array.from({ length: gp.data.n }, (_, i) => i).sort((a, b) => gp.data.y[a] - gp.data.y[b]);
  for (const i of order.slice(0, o.nBest)) {
    for (let c = 0; c < o.nPerturbPerBest; c++) {
      out.push(Float64Array.from({ length: d }, (_, j) => {
        const v = gp.data.x[i * d + j];
        if (dists[j].kind === 'categorical') return rng.random() < 1 / d ? draw(j) : v;
        return roundTrip(dists[j], Math.min(1, Math.max(0, v + 0.1 * rng.normal())));
      }));
    }
  }
  return out;
}

function score(gp: FittedGP, point: Float64Array, best: number, scratch: PosteriorScratch): number {
  const { mean, variance } = posterior(gp, point, 0, scratch);
  return logExpectedImprovement(mean, variance, best);
}

/** Never excluded: the predicate of a search with no exclusion. */
const NOTHING = (): boolean => false;

/**
 * Coordinate search: each numeric coordinate tries ± a step that halves from 0.1 to ~0.006, each categorical every
 * choice; a move onto an excluded point is not taken.
 */
function localSearch(
  gp: FittedGP, dists: readonly Distribution[], start: { point: Float64Array; score: number }, best: number, scratch: PosteriorScratch,
  excluded: (point: Float64Array) => boolean,
): { point: Float64Array; score: number } {
  let { point, score: value } = start;
  for (let step = 0.1; step > 0.005; step /= 2) {
    for (let j = 0; j < dists.length; j++) {
      const dist = dists[j];
      const tries = dist.kind === 'categorical' ? dist.choices.map((_, c) => c) : [point[j] - step, point[j] + step].map((u) => roundTrip(dist, Math.min(1, Math.max(0, u))));
      for (const u of tries) {
        if (u === point[j]) continue;
        const cand = Float64Array.from(point);
        cand[j] = u;
        const s = score(gp, cand, best, scratch);
        if (s > value && !excluded(cand)) {
          point = cand;
          value = s;
        }
      }
    }
  }
  return { point, score: value };
}

/**
 * The unit-cube point with the highest log EI found. `exclusions`: predicates tried in turn (gp/repeats.ts) — the
 * first that leaves some candidate standing rules out points for the whole search; none left, nothing is ruled out.
 */
export function maximiseLogEI(
  gp: FittedGP, dists: readonly Distribution[], rng: Rng, o: AcquisitionSearch = DEFAULT_ACQUISITION_SEARCH,
  exclusions: readonly ((point: Float64Array) => boolean)[] = [],
): Float64Array {
  let best = Infinity;
  for (let i = 0; i < gp.data.n; i++) best = Math.min(best, gp.data.y[i]);
  const scratch = posteriorScratch(gp.data.n);
  const all = candidates(gp, dists, rng, o);
  let excluded: (point: Float64Array) => boolean = NOTHING;
  let pool = all;
  for (const e of exclusions) {
    const kept = all.filter((p) => !e(p));
    if (kept.length > 0) {
      [excluded, pool] = [e, kept];
      break;
    }
  }
  const scored = pool.map((point) => ({ point, score: score(gp, point, best, scratch) }));
  scored.sort((a, b) => b.score - a.score);
  let winner = scored[0];
  for (const s of scored.slice(0, o.nLocalStarts)) {
    const r = localSearch(gp, dists, s, best, scratch, excluded);
    if (r.score > winner.score) winner = r;
  }
  return winner.point;
}
