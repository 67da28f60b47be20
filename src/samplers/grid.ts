import { ConfigError } from '../errors.js';
import type { Distribution, ParamValue, SearchSpace } from '../space/distributions.js';
import { isContained } from '../space/distributions.js';
import type { FrozenTrial } from '../core/frozen.js';
import { Rng } from '../util/rng.js';
import { isExhausted, type Sampler, type SamplerContext, type SpaceCoverage } from './sampler.js';
import { resolveSeed } from './seed.js';

export interface GridSamplerOptions {
  /** The values to try for each parameter; every combination is visited once. */
  readonly searchSpace: Readonly<Record<string, readonly ParamValue[]>>;
  /** Seeds the order in which grid points are visited. Omit for a random order. */
  readonly seed?: number;
}

/** Grids larger than this are better served by random search; enumerating them would exhaust memory. */
const MAX_GRID_POINTS = 1 << 24;

function validateGrid(space: unknown): asserts space is Readonly<Record<string, readonly ParamValue[]>> {
  const path = 'GridSampler.searchSpace';
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    throw new ConfigError(`${path}: expected an object of value lists, e.g. { lr: [1e-3, 1e-2], layers: [2, 4] }`);
  }
  const entries = Object.entries(space);
  if (entries.length === 0) throw new ConfigError(`${path}: the grid is empty; give at least one parameter`);
  let size = 1;
  for (const [name, values] of entries) {
    if (!Array.isArray(values) || values.length === 0) throw new ConfigError(`${path}.${name}: expected a non-empty array of values`);
    for (const v of values as unknown[]) {
      const ok = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
      if (!ok) throw new ConfigError(`${path}.${name}: ${String(v)} is not a finite number, string, boolean or null`);
    }
    size *= values.length;
  }
  if (size > MAX_GRID_POINTS) throw new ConfigError(`${path}: ${size} grid points is more than ${MAX_GRID_POINTS}; use fewer values or RandomSampler`);
}

/**
 * Exhaustive search: each trial gets a grid point no finished or running trial has, in an order fixed by the
 * seed. `coverage` tells the study how many points are taken, so `study.optimize` and `tune` stop once every point
 * has a finished or running trial. A trial stopped by an interrupt (FAIL, code INTERRUPTED) does not hold its
 * point, so `--resume` runs it again. Asked past exhaustion (a manual `ask`, or another process racing for the
 * last point), it hands out a point only a running trial holds, else a finished one (seeded by trial number).
 * @example new GridSampler({ searchSpace: { lr: [1e-3, 1e-2], layers: [2, 4, 8] }, seed: 0 })
 */
export class GridSampler implements Sampler {
  readonly #seed: number;
  readonly #names: readonly string[];
  readonly #values: readonly (readonly ParamValue[])[];
  /** Grid ids in visiting order (a seeded permutation of 0..size-1). */
  readonly #order: Uint32Array;
  readonly #size: number;

  constructor(options: GridSamplerOptions) {
    validateGrid(options?.searchSpace);
    this.#seed = resolveSeed('GridSampler', options.seed);
    // Sorted names, as Optuna: the grid does not depend on the order the user wrote the object in.
    this.#names = Object.keys(options.searchSpace).sort();
    this.#values = this.#names.map((n) => [...options.searchSpace[n]]);
    this.#size = this.#values.reduce((acc, v) => acc * v.length, 1);
    this.#order = new Uint32Array(this.#size);
    for (let i = 0; i < this.#size; i++) this.#order[i] = i;
    const rng = new Rng(this.#seed);
    for (let i = this.#size - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = this.#order[i];
      this.#order[i] = this.#order[j];
      this.#order[j] = t;
    }
  }

  /** Number of grid points. */
  get size(): number {
    return this.#size;
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(ctx: SamplerContext, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const p = this.#names.indexOf(name);
    if (p < 0) {
      throw new ConfigError(`GridSampler: parameter '${name}' is not in the grid (${this.#names.join(', ')}); add it to searchSpace`);
    }
    const value = this.#valueAt(this.#pick(ctx, trial), p);
    if (!isContained(distribution, value)) {
      throw new ConfigError(`GridSampler.searchSpace.${name}: grid value ${JSON.stringify(value)} is outside the distribution the objective asks for; fix the grid or the suggest call`);
    }
    return value;
  }

  /** How many grid points finished and running trials hold. */
  coverage(ctx: SamplerContext): SpaceCoverage {
    const { finished, running } = this.#visited(ctx, -1);
    let nRunning = 0;
    for (const id of running) if (!finished.has(id)) nRunning++;
    return { nPoints: this.#size, nFinished: finished.size, nRunning };
  }

  /** Whether every grid point has a finished or running trial, so a new trial could only repeat one. */
  isExhausted(ctx: SamplerContext): boolean {
    return isExhausted(this.coverage(ctx));
  }

  #valueAt(gridId: number, p: number): ParamValue {
    // Mixed-radix decode; the last name varies fastest.
    let rest = gridId;
    for (let i = this.#names.length - 1; i > p; i--) rest = Math.floor(rest / this.#values[i].length);
    return this.#values[p][rest % this.#values[p].length];
  }

  /** The grid id a trial's params sit on, or -1 when it has not got (all of) them or they are off the grid. */
  #gridIdOf(params: Readonly<Record<string, ParamValue>>): number {
    let id = 0;
    for (let i = 0; i < this.#names.length; i++) {
      const name = this.#names[i];
      if (!(name in params)) return -1;
      const k = this.#values[i].indexOf(params[name]);
      if (k < 0) return -1;
      id = id * this.#values[i].length + k;
    }
    return id;
  }

  #visited(ctx: SamplerContext, exclude: number): { finished: Set<number>; running: Set<number> } {
    const finished = new Set<number>();
    const running = new Set<number>();
    for (const t of ctx.trials) {
      if (t.number === exclude || t.state === 'WAITING' || holdsNoPoint(t)) continue;
      const id = this.#gridIdOf(t.params);
      if (id < 0) continue;
      (t.state === 'RUNNING' ? running : finished).add(id);
    }
    return { finished, running };
  }

  /**
   * The first grid point, in visiting order, that no other trial holds and that agrees with the params this
   * trial already has, so repeated calls for one trial land on one point. When all are finished, a seeded one.
   */
  #pick(ctx: SamplerContext, trial: FrozenTrial): number {
    const own = { ...(ctx.trials.find((t) => t.number === trial.number)?.params ?? {}), ...trial.params };
    const agrees = (id: number): boolean => this.#names.every((n, i) => !(n in own) || own[n] === this.#valueAt(id, i));
    const { finished, running } = this.#visited(ctx, trial.number);
    for (const taken of [(id: number) => finished.has(id) || running.has(id), (id: number) => finished.has(id)]) {
      for (const id of this.#order) if (!taken(id) && agrees(id)) return id;
    }
    const candidates = Array.from(this.#order).filter(agrees);
    if (candidates.length === 0) {
      throw new ConfigError(`GridSampler: trial ${trial.number} already has params that are on no grid point; suggest grid params only through the GridSampler`);
    }
    return candidates[new Rng(this.#seed, trial.number).int(candidates.length)];
  }
}

/** An interrupted trial never ran its point to the end: the point is free again for `--resume`. */
function holdsNoPoint(t: FrozenTrial): boolean {
  return t.state === 'FAIL' && t.error?.code === 'INTERRUPTED';
}
