import type { Distribution, ParamValue, SearchSpace } from '../../space/distributions.js';
import { isSingle, toExternal } from '../../space/distributions.js';
import type { FrozenTrial } from '../../core/frozen.js';
import { ConfigError } from '../../errors.js';
import { Rng, hashString } from '../../util/rng.js';
import { fromTransformed, transformedBounds } from '../numeric-space.js';
import { sampleUniform } from '../random.js';
import type { Sampler, SamplerContext } from '../sampler.js';
import { resolveSeed } from '../seed.js';
import { ScrambledHalton } from './halton.js';
import { MaximinLatinHypercube } from './latin-hypercube.js';

export interface QMCSamplerOptions {
  /** The declared search space: each of its parameters is one dimension of the sequence (in name order). */
  readonly space: SearchSpace;
  /** Scrambles the sequence (and seeds the fallback for parameters outside `space`). Omit for a random seed. */
  readonly seed?: number;
  /** false: the plain Halton sequence (deterministic, point 0 at the lower corner). Default true. */
  readonly scramble?: boolean;
  /**
   * 'halton' (the default): a scrambled Halton sequence. 'maximin-lhs': maximin Latin hypercubes of `designSize`
   * points each (latin-hypercube.ts), for a start-up whose length is known — every dimension stratified into that
   * many bins. `scramble` applies to Halton only.
   */
  readonly sequence?: 'halton' | 'maximin-lhs';
  /** Points per Latin hypercube (`sequence: 'maximin-lhs'`), e.g. the number of start-up trials. */
  readonly designSize?: number;
}

/** A point set read one coordinate at a time: point `index`, dimension `j`, in [0, 1). */
interface UnitSequence {
  coordinate(index: number, j: number): number;
}

function makeSequence(options: QMCSamplerOptions, nDimensions: number, seed: number): UnitSequence | null {
  if (nDimensions === 0) return null;
  const sequence = options.sequence ?? 'halton';
  if (sequence === 'halton') return new ScrambledHalton(nDimensions, options.scramble === false ? null : seed);
  if (sequence !== 'maximin-lhs') throw new ConfigError(`QMCSampler.sequence: expected 'halton' or 'maximin-lhs', got ${JSON.stringify(sequence)}`);
  if (options.designSize === undefined) throw new ConfigError("QMCSampler.designSize: sequence 'maximin-lhs' needs the design size, e.g. { sequence: 'maximin-lhs', designSize: 6 }");
  return new MaximinLatinHypercube(nDimensions, options.designSize, seed);
}

/** The value of distribution `d` at quantile `u` ∈ [0, 1) of its sampling interval (log, step and int ranges as random sampling maps them). */
export function valueAtQuantile(d: Distribution, u: number): ParamValue {
  if (d.kind === 'categorical') return toExternal(d, Math.min(d.choices.length - 1, Math.floor(u * d.choices.length)));
  if (isSingle(d)) return d.low;
  const { low, high } = transformedBounds(d);
  return fromTransformed(d, low + (high - low) * u);
}

/**
 * Quasi-random search: trial n takes point n of a scrambled Halton sequence over the declared space, so the
 * first dozen trials cover the space more evenly than independent uniform draws (Bergstra & Bengio 2012, §5;
 * Optuna's QMCSampler). A parameter outside the declared space (define-by-run) is drawn uniformly, seeded by
 * trial and name. Seeded like every parzen sampler: the same seed and trial number give the same point in any
 * process, with no counter stored in the study.
 * @example const sampler = new QMCSampler({ space: { x: float(-5, 10), c: categorical(['a', 'b']) }, seed: 42 });
 */
export class QMCSampler implements Sampler {
  readonly #seed: number;
  readonly #dimension: ReadonlyMap<string, number>;
  readonly #sequence: UnitSequence | null;

  constructor(options: QMCSamplerOptions) {
    if (options === undefined || typeof options.space !== 'object' || options.space === null) {
      throw new ConfigError('QMCSampler.space: expected the declared search space, e.g. { space: { x: float(0, 1) } }');
    }
    if (options.scramble !== undefined && typeof options.scramble !== 'boolean') {
      throw new ConfigError(`QMCSampler.scramble: expected true or false, got ${String(options.scramble)}`);
    }
    this.#seed = resolveSeed('QMCSampler', options.seed);
    const names = Object.keys(options.space).sort();
    this.#dimension = new Map(names.map((n, j) => [n, j]));
    this.#sequence = makeSequence(options, names.length, this.#seed);
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_ctx: SamplerContext, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const j = this.#dimension.get(name);
    if (j === undefined || this.#sequence === null) return sampleUniform(distribution, new Rng(this.#seed, trial.number, hashString(name)));
    return valueAtQuantile(distribution, this.#sequence.coordinate(trial.number, j));
  }
}
