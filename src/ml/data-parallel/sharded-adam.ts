import type { Variable } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from '../../errors.js';
import { adamStepOf, adamStepSize, resolveAdam, type AdamOptions, type ResolvedAdam } from '../adam.js';
import type { Tf } from '../backend-choice.js';
import { adamKernel } from '../kernels/adam-update.js';
import { hostValues } from './reduce.js';

/**
 * The AdamW update sharded over data-parallel replicas (ZeRO stage 1's optimizer-state partitioning, Rajbhandari
 * et al. 2020, on one machine): replica r owns the range [lo, hi) of the flat parameter vector (variables in
 * order, each row-major), keeps Adam's moments for that range only, and updates it straight from the shared mean
 * gradient (scaled by the clip factor in the same pass) into the shared weights, in place; after a barrier every
 * replica loads the whole vector into its variables. Each replica does 1/n of the update instead of all of it, and
 * the gradients never go back into tensors.
 *
 * The arithmetic is the per-variable fused update's (kernels/adam-update.ts `adamKernel`, the step scalars from
 * adam.ts), element for element, so the weights are bit-identical to one worker's Adam given the same mean
 * gradient, and every replica loads the same bits (checked per epoch by the replica check).
 */

/** One variable's part of a replica's range, as flat indices [lo, hi). */
interface Segment {
  readonly variable: Variable;
  readonly lo: number;
  readonly hi: number;
}

export class ShardedAdam {
  readonly #tf: Tf;
  readonly #variables: readonly Variable[];
  readonly #o: ResolvedAdam;
  readonly #lo: number;
  readonly #segments: readonly Segment[];
  /** The shared flat weights (only [lo, hi) is written here). */
  readonly #weights: Float32Array;
  readonly #m: Float32Array;
  readonly #v: Float32Array;
  #t = 0;

  /**
   * `range`: this replica's [lo, hi) of the flat vector; `weights`: the shared flat weights (length: all the
   * variables' sizes together), which `publishInitial` and `step` write over the range.
   */
  constructor(tf: Tf, variables: readonly Variable[], o: { readonly range: readonly [number, number]; readonly weights: Float32Array; readonly adam?: AdamOptions }) {
    const total = variables.reduce((s, v) => s + v.size, 0);
    const [lo, hi] = o.range;
    if (o.weights.length !== total) throw new TrainingError(`train workers: shared weights of ${o.weights.length} values for variables of ${total}`, { code: 'SHAPE' });
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo <= hi && hi <= total)) throw new TrainingError(`train workers: update range [${lo}, ${hi}) outside [0, ${total}]`, { code: 'SHAPE' });
    const bad = variables.find((v) => v.dtype !== 'float32');
    if (bad !== undefined) throw new TrainingError(`train workers: variable ${bad.name} is ${bad.dtype}; data-parallel training needs float32 variables`, { code: 'SHAPE' });
    this.#tf = tf;
    this.#variables = variables;
    this.#o = resolveAdam(o.adam);
    this.#lo = lo;
    this.#weights = o.weights;
    this.#m = new Float32Array(hi - lo);
    this.#v = new Float32Array(hi - lo);
    const segments: Segment[] = [];
    let offset = 0;
    for (const variable of variables) {
      const [a, b] = [Math.max(lo, offset), Math.min(hi, offset + variable.size)];
      if (a < b) segments.push({ variable, lo: a, hi: b });
      offset += variable.size;
    }
    this.#segments = segments;
  }

  /** Optimizer steps taken so far. */
  get steps(): number {
    return this.#t;
  }

  /** Adam's moments for this replica's range (views; m[i], v[i] belong to the flat element lo + i). */
  get moments(): { readonly m: Float32Array; readonly v: Float32Array } {
    return { m: this.#m, v: this.#v };
  }

  /** Before the first step: copy this replica's range of its variables into the shared weights. */
  publishInitial(): void {
    let offset = 0;
    for (const variable of this.#variables) {
      const [a, b] = [Math.max(this.#lo, offset), Math.min(this.#lo + this.#m.length, offset + variable.size)];
      if (a < b) this.#weights.set(hostValues(this.#tf, variable).subarray(a - offset, b - offset), a);
      offset += variable.size;
    }
  }

  /**
   * One AdamW step over the range: gradient fround(mean[i]·gradScale) (gradScale: the clip factor, 1 for none),
   * new weights written over the shared ones. Variables whose rate scale is 0 are left as they are (no moment, no
   * decay), as `Adam.apply` does. Returns Σ w_i² of the new weights over the range (index order, double precision).
   * `mean`: the whole flat mean gradient (only the range is read).
   */
  step(mean: Float32Array, lr: number, gradScale: number): number {
    const r = this.#o;
    this.#t += 1;
    const stepSize = adamStepSize(r, lr, this.#t);
    const w = this.#weights;
    let sq = 0;
    for (const { variable, lo, hi } of this.#segments) {
      const scale = r.lrScale(variable);
      const own = w.subarray(lo, hi);
      if (scale !== 0) {
        const [m, v] = [this.#m.subarray(lo - this.#lo, hi - this.#lo), this.#v.subarray(lo - this.#lo, hi - this.#lo)];
        adamKernel({ w: own, g: mean.subarray(lo, hi), m, v, out: own }, adamStepOf(r, variable, { lr, stepSize, scale }), gradScale);
      }
      // A second pass over the segment just written (still in cache): cheaper than a second accumulator in the
      // update's loop, whose dependency chain slowed it by a fifth.
      for (let i = 0; i < own.length; i++) sq += own[i] * own[i];
    }
    return sq;
  }
}

/**
 * Assign every variable its part of the flat `weights` (variables in order). On wasm each variable gets a fresh
 * heap buffer filled straight from shared memory (one malloc per variable, as a kernel output; tensors must not be
 * rewritten in place: see kernels/adam-update.ts); elsewhere a tensor made from a copy.
 */
export function loadWeights(tf: Tf, variables: readonly Variable[], weights: Float32Array): void {
  const wasm = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as BackendWasm) : null;
  let offset = 0;
  for (const variable of variables) {
    const part = weights.subarray(offset, offset + variable.size);
    offset += variable.size;
    if (wasm === null) {
      const next = tf.tensor(part.slice(), variable.shape, 'float32');
      variable.assign(next);
      next.dispose();
      continue;
    }
    const info = wasm.makeOutput([...variable.shape], 'float32');
    const next = tf.engine().makeTensorFromTensorInfo(info);
    // The view is taken after the allocation and filled at once: the heap cannot grow in between.
    (wasm.typedArrayFromHeap(info) as Float32Array).set(part);
    variable.assign(next);
    next.dispose();
  }
}

