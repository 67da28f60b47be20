import type { Distribution, ParamValue, SearchSpace } from '../../space/distributions.js';
import { isSingle } from '../../space/distributions.js';
import type { FrozenTrial } from '../../core/frozen.js';
import { ConfigError } from '../../errors.js';
import { Rng, hashString } from '../../util/rng.js';
import { QMCSampler } from '../qmc/qmc-sampler.js';
import { sampleUniform } from '../random.js';
import type { Sampler, SamplerContext } from '../sampler.js';
import { resolveSeed } from '../seed.js';
import { IntersectionSearchSpaceCache } from '../tpe/search-space.js';
import { decodeValue, encodeValue } from './encode.js';
import { type GPData, type Lengthscales, fitGP } from './fit.js';
import { maximiseLogEI } from './optimise-acquisition.js';
import { type AvoidRepeats, excludedWithin, exclusionRadii } from './repeats.js';
import { standardise, warpTargets } from './warp.js';

export interface GPSamplerOptions {
  readonly seed?: number;
  /** Trials drawn before the GP models (quasi-random over `space` when given, uniform otherwise). Default 8. */
  readonly nStartupTrials?: number;
  /** The declared search space, for the quasi-random start-up. */
  readonly space?: SearchSpace;
  /** Count RUNNING trials as the worst value seen, so parallel workers spread out (constant liar). */
  readonly constantLiar?: boolean;
  /**
   * 'power' (the default): warp the standardised targets by a Yeo–Johnson transform fitted by maximum likelihood
   * before the GP models them (gp/warp.ts), so heavy-tailed objectives do not flatten the model; chosen on the
   * broad benchmark's selection part (docs/benchmarks/samplers.md, "Session 23"). 'none': standardise only (the GP
   * of sessions 21–22).
   */
  readonly outputWarping?: 'none' | 'power';
  /**
   * 'ard' (the default): one length scale per dimension, 2 + d hyperparameters. 'isotropic': one length scale
   * shared by every dimension, 3 hyperparameters — fewer to fit on the handful of points of a small budget
   * (docs/benchmarks/samplers.md, "Session 26").
   */
  readonly lengthscales?: Lengthscales;
  /**
   * Points the acquisition may not propose (gp/repeats.ts): 'none' (the default), 'exact' (a configuration already
   * evaluated, after rounding onto int / step / categorical grids), or 'spacing' (anything nearer an evaluated point
   * than half their median nearest-neighbour spacing; exact repeats too). Relaxed when nothing else is left.
   */
  readonly avoidRepeats?: AvoidRepeats;
}

const RELATIVE_TAG = hashString('\u0000parzen:gp');

/**
 * Gaussian-process Bayesian optimisation after Optuna 4's GPSampler: a Matérn-5/2 ARD kernel (or one isotropic length
 * scale; Hamming distance for categoricals), hyperparameters by maximum a posteriori marginal likelihood on power-warped targets, log expected improvement
 * maximised over candidates and a local search. It models the parameters every finished trial has (the
 * intersection space); others are drawn uniformly. Seeded per trial like every parzen sampler.
 * @example const sampler = new GPSampler({ seed: 42, space: { x: float(-5, 10), y: float(0, 15) } });
 */
export class GPSampler implements Sampler {
  readonly #seed: number;
  readonly #nStartup: number;
  readonly #constantLiar: boolean;
  readonly #warp: boolean;
  readonly #lengthscales: Lengthscales;
  readonly #avoidRepeats: AvoidRepeats;
  readonly #startup: QMCSampler | null;
  readonly #jointSpace = new IntersectionSearchSpaceCache();

  constructor(options: GPSamplerOptions = {}) {
    this.#seed = resolveSeed('GPSampler', options.seed);
    const n = options.nStartupTrials ?? 8;
    if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`GPSampler.nStartupTrials: expected an integer ≥ 1, got ${String(n)}`);
    this.#nStartup = n;
    this.#constantLiar = options.constantLiar ?? false;
    const w = options.outputWarping ?? 'power';
    if (w !== 'none' && w !== 'power') throw new ConfigError(`GPSampler.outputWarping: expected 'none' or 'power', got ${JSON.stringify(w)}`);
    this.#warp = w === 'power';
    const ls = options.lengthscales ?? 'ard';
    if (ls !== 'ard' && ls !== 'isotropic') throw new ConfigError(`GPSampler.lengthscales: expected 'ard' or 'isotropic', got ${JSON.stringify(ls)}`);
    this.#lengthscales = ls;
    const avoid = options.avoidRepeats ?? 'none';
    if (avoid !== 'none' && avoid !== 'exact' && avoid !== 'spacing') {
      throw new ConfigError(`GPSampler.avoidRepeats: expected 'none', 'exact' or 'spacing', got ${JSON.stringify(avoid)}`);
    }
    this.#avoidRepeats = avoid;
    this.#startup = options.space === undefined ? null : new QMCSampler({ space: options.space, seed: this.#seed });
  }

  inferRelativeSearchSpace(ctx: SamplerContext): SearchSpace {
    const space = this.#jointSpace.get(ctx.trials);
    return Object.fromEntries(Object.entries(space).filter(([, d]) => !isSingle(d)));
  }

  sampleRelative(ctx: SamplerContext, trial: FrozenTrial, space: SearchSpace): Record<string, ParamValue> {
    const names = Object.keys(space).sort();
    const complete = ctx.trials.filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value) && names.every((n) => n in t.params));
    if (names.length === 0 || complete.length < this.#nStartup) return {};
    const dists = names.map((n) => space[n]);
    const sign = ctx.direction === 'maximize' ? -1 : 1;
    const rows = complete.map((t) => ({ t, value: sign * (t.value as number) }));
    if (this.#constantLiar) {
      const worst = Math.max(...rows.map((r) => r.value));
      for (const t of ctx.trials) {
        if (t.state === 'RUNNING' && t.number !== trial.number && names.every((n) => n in t.params)) rows.push({ t, value: worst });
      }
    }
    const d = names.length;
    const data: GPData = {
      n: rows.length,
      x: Float64Array.from(rows.flatMap(({ t }) => names.map((n, j) => encodeValue(dists[j], t.params[n] as ParamValue)))),
      y: (this.#warp ? warpTargets : standardise)(rows.map((r) => r.value)),
      isCat: Uint8Array.from(dists, (dist) => (dist.kind === 'categorical' ? 1 : 0)),
    };
    // A trial with parameters beyond the modelled ones (conditional, or single-valued ones left out) is no exact repeat.
    const whole = Uint8Array.from(rows, ({ t }) => (Object.keys(t.params).every((n) => n in space || (n in t.distributions && isSingle(t.distributions[n]))) ? 1 : 0));
    const exclusions = exclusionRadii(this.#avoidRepeats, data).map((r) => excludedWithin(data, r, whole));
    const point = maximiseLogEI(fitGP(data, { lengthscales: this.#lengthscales }), dists, new Rng(this.#seed, trial.number, RELATIVE_TAG), undefined, exclusions);
    const out: Record<string, ParamValue> = {};
    for (let j = 0; j < d; j++) out[names[j]] = decodeValue(dists[j], point[j]);
    return out;
  }

  sampleIndependent(ctx: SamplerContext, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (this.#startup !== null) return this.#startup.sampleIndependent(ctx, trial, name, distribution);
    return sampleUniform(distribution, new Rng(this.#seed, trial.number, hashString(name)));
  }
}
