import { TrainingError } from '../../errors.js';
import type { PhaseProfile } from '../phase-profile.js';

/**
 * Gradient averaging for data-parallel training across worker threads, over one SharedArrayBuffer.
 *
 * Each of `nWorkers` replicas copies its flattened gradient, its loss and its share's example count (the last two
 * elements) into its own slot; barrier; then the reduction is split among the replicas (a reduce-scatter): replica
 * r computes the elements [⌊r·P/n⌋, ⌊(r+1)·P/n⌋) of the weighted mean Σ_k e_k·g_k / Σ_k e_k into one shared result,
 * summing over k = 0, 1, …, n−1 in that order in double precision; barrier; every replica then reads the whole
 * result. Each replica also sums the squares of its range of the result (double precision, in index order) into
 * its own float64, and after the second barrier every replica adds the n partial sums in rank order: the mean's
 * squared global norm, the same bits in every replica, without a pass over the whole vector in each (the gradient
 * norm and clipping follow from it). An element's value depends only on the slots, never on which replica computed it or when, so every
 * replica gets bit-identical averages whatever the timing, identical replicas taking identical optimizer steps stay
 * bit-identical (checked by `checkReplicas`), and each replica sums 1/n of the vector instead of all of it. The
 * weighting gives the whole batch's mean also when shares differ in size (a short last batch).
 *
 * The sharded update (sharded-adam.ts, replica-step.ts) adds a third barrier per step: after the second, each
 * replica writes its range of the new weights into the shared `weights` and its Σ w² partial, then `shareWeights`
 * (barrier) and every replica reads all the weights. Single buffers stay safe: a replica writes step t+1's slot only
 * after step t's weight barrier, which every replica reaches only after reducing step t (and reading the mean it
 * updates from); it rewrites the result and its partial sum only after step t+1's first barrier, which every
 * replica reaches only after its step-t update; it rewrites its range of the weights and its weight partial only
 * after step t+1's second barrier, which every replica reaches only after loading step t's weights. Its own range is
 * updated in place: no other replica touches it between the second and the third barrier.
 *
 * The barrier is sense-free: a generation counter that the last arrival bumps and notifies; the rest
 * `Atomics.wait` on it (allowed on Node's main thread too). A replica that stops arriving (crashed) would block
 * the others, so waits time out after `timeoutMs` with a TrainingError naming the step; a replica that fails
 * (throws) calls `abort` first, which wakes every waiting replica at once with an error naming it.
 *
 * After each epoch the leader (rank 0), which alone validates, checkpoints and hears the pruner and signals,
 * publishes its validation value and stop verdict (`agreeEpoch`); the others adopt them, so all stop together.
 */

const GENERATION = 0;
const ARRIVED = 1;
/** 1 + the rank of a replica that aborted; 0 while all are well. */
const ABORTED = 2;
/** How many barriers have completed (an abort bumps GENERATION too, to wake waiters, but not this). */
const COMPLETED = 3;
const CONTROL_INTS = 4;
/** Float64s after the checksums: the leader's epoch outcome (validation value, verdict code). */
const EPOCH_FLOATS = 2;
/**
 * Float64s after the epoch outcome: each replica's sum of squares over its range of the mean, then over its range
 * of the new weights.
 */
const partialsOffset = (nWorkers: number): number => nWorkers + EPOCH_FLOATS;
const FLOAT64S_PER_WORKER = 3;
/** Float32s of the shared weights: nParams rounded up to even, so the float64s after them stay 8-byte aligned. */
const weightsLength = (nParams: number): number => nParams + (nParams % 2);
/** The leader validates and checkpoints while the others wait at `agreeEpoch`: allow it hours, not minutes. */
const AGREE_TIMEOUT_MS = 24 * 3600_000;

/** What a replica needs to attach to the exchange: the buffer and its layout. Plain data, posted to each worker. */
export interface ExchangeLayout {
  readonly buffer: SharedArrayBuffer;
  readonly nWorkers: number;
  /** Floats per slot: the gradient's length + 2 (the loss, the example count), rounded up to even. */
  readonly slotLength: number;
  readonly nParams: number;
}

/** Allocate the shared buffer for `nWorkers` replicas of a model with `nParams` parameters. */
export function createExchange(nWorkers: number, nParams: number): ExchangeLayout {
  if (!(Number.isSafeInteger(nWorkers) && nWorkers >= 1)) throw new TrainingError(`train workers: expected an integer ≥ 1, got ${nWorkers}`);
  if (!(Number.isSafeInteger(nParams) && nParams >= 1)) throw new TrainingError(`train workers: expected a model with ≥ 1 parameter, got ${nParams}`);
  // + 2 (loss, example count), rounded up to even so that the float64s after the float32s stay 8-byte aligned.
  const slotLength = nParams + 2 + (nParams % 2);
  // n slots, one result and the weights, float32; then the checksums, the epoch outcome and the partial sums,
  // float64 (8-byte aligned: every float32 region has an even length).
  const bytes = CONTROL_INTS * 4 + ((nWorkers + 1) * slotLength + weightsLength(nParams)) * 4 + (EPOCH_FLOATS + FLOAT64S_PER_WORKER * nWorkers) * 8;
  return { buffer: new SharedArrayBuffer(bytes), nWorkers, slotLength, nParams };
}

/** One step's mean over the replicas (see `reduceMean`). */
export interface ReducedMean {
  /** A view of the shared result, rewritten by the next step's exchange. */
  readonly grad: Float32Array;
  readonly loss: number;
  /** Σ_i grad_i² in double precision, the same bits in every replica. */
  readonly sumOfSquares: number;
}

export class GradientExchange {
  readonly #rank: number;
  readonly #n: number;
  readonly #slotLength: number;
  readonly #nParams: number;
  readonly #control: Int32Array;
  /** The n slots, then the result. */
  readonly #slots: Float32Array;
  readonly #result: Float32Array;
  readonly #checksums: Float64Array;
  readonly #epoch: Float64Array;
  readonly #partials: Float64Array;
  readonly #weights: Float32Array;
  readonly #weightPartials: Float64Array;
  readonly #range: readonly [number, number];
  readonly #timeoutMs: number;
  #step = 0;

  constructor(layout: ExchangeLayout, rank: number, o: { timeoutMs?: number } = {}) {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < layout.nWorkers)) throw new TrainingError(`train workers: rank ${rank} outside [0, ${layout.nWorkers})`);
    this.#rank = rank;
    this.#n = layout.nWorkers;
    this.#slotLength = layout.slotLength;
    this.#nParams = layout.nParams;
    this.#control = new Int32Array(layout.buffer, 0, CONTROL_INTS);
    this.#slots = new Float32Array(layout.buffer, CONTROL_INTS * 4, layout.nWorkers * layout.slotLength);
    this.#result = new Float32Array(layout.buffer, CONTROL_INTS * 4 + layout.nWorkers * layout.slotLength * 4, layout.nParams);
    const weights = CONTROL_INTS * 4 + (layout.nWorkers + 1) * layout.slotLength * 4;
    this.#weights = new Float32Array(layout.buffer, weights, layout.nParams);
    const f64 = weights + weightsLength(layout.nParams) * 4;
    this.#checksums = new Float64Array(layout.buffer, f64, layout.nWorkers);
    this.#epoch = new Float64Array(layout.buffer, f64 + layout.nWorkers * 8, EPOCH_FLOATS);
    this.#partials = new Float64Array(layout.buffer, f64 + partialsOffset(layout.nWorkers) * 8, layout.nWorkers);
    this.#weightPartials = new Float64Array(layout.buffer, f64 + (partialsOffset(layout.nWorkers) + layout.nWorkers) * 8, layout.nWorkers);
    this.#range = paramRange(rank, layout.nWorkers, layout.nParams);
    this.#timeoutMs = o.timeoutMs ?? 600_000;
  }

  get rank(): number {
    return this.#rank;
  }

  get nWorkers(): number {
    return this.#n;
  }

  /** [lo, hi) of the flat parameter vector that this replica reduces and updates: ⌊r·P/n⌋ to ⌊(r+1)·P/n⌋. */
  get range(): readonly [number, number] {
    return this.#range;
  }

  /**
   * The shared weights, the whole flat vector: each replica writes its `range` (the sharded update), then
   * `shareWeights`; after it every replica reads all of them. Rewritten from the next step's `shareWeights` on.
   */
  get weights(): Float32Array {
    return this.#weights;
  }

  /**
   * This replica failed: wake every replica waiting at a barrier (and fail every later arrival) with an error
   * naming it. Idempotent; the first replica to abort is the one named.
   */
  abort(): void {
    Atomics.compareExchange(this.#control, ABORTED, 0, this.#rank + 1);
    Atomics.add(this.#control, GENERATION, 1);
    Atomics.notify(this.#control, GENERATION);
  }

  /** The rank of the first replica that aborted, or null while none has. */
  get abortedBy(): number | null {
    const by = Atomics.load(this.#control, ABORTED) - 1;
    return by >= 0 ? by : null;
  }

  #throwIfAborted(what: string, step: number): void {
    const by = Atomics.load(this.#control, ABORTED) - 1;
    if (by >= 0 && by !== this.#rank) throw new TrainingError(`train workers: replica ${by} failed, so replica ${this.#rank} stopped at ${what} (step ${step}); see replica ${by}'s error`);
  }

  /**
   * Block until every replica has arrived at this barrier. A barrier that completed returns even if a replica
   * aborted since (its failure surfaces at the next barrier), so replicas that all threw the same error (the
   * replica check) report it rather than each other's abort.
   */
  #barrier(what: string, timeoutMs = this.#timeoutMs, step = this.#step): void {
    const c = this.#control;
    this.#throwIfAborted(what, step);
    const gen = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.#n - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.store(c, COMPLETED, gen + 1);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(c, GENERATION) === gen) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(c, GENERATION, gen, left) === 'timed-out') {
        if (Atomics.load(c, GENERATION) !== gen) break;
        throw new TrainingError(`train workers: replica ${this.#rank} waited ${timeoutMs} ms at ${what} (step ${step}) for the others; one of them stopped`);
      }
    }
    if (Atomics.load(c, COMPLETED) <= gen) this.#throwIfAborted(what, step);
  }

  /**
   * This replica's slot for the step's flattened gradient (length nParams): fill it, then call `reduceMean`.
   * Writing it straight from the tensors' memory saves a copy and a per-step allocation.
   */
  get slot(): Float32Array {
    const L = this.#slotLength;
    return this.#slots.subarray(this.#rank * L, this.#rank * L + this.#nParams);
  }

  /**
   * The mean over replicas of the gradients in their slots and of `loss`, each weighted by the replica's
   * `examples` (its share of the batch; 0 for an empty share), identical on every replica. The gradient returned
   * is a view of the shared result: read it before the next step's `reduceMean`. `sumOfSquares` is Σ_i mean_i²
   * (double precision: each replica's range in index order, then the ranges in rank order).
   * @example exchange.slot.set(flat); const { grad: mean, loss, sumOfSquares } = exchange.reduceMean(localLoss, 6)
   */
  reduceMean(loss: number, examples = 1, profile?: PhaseProfile): ReducedMean {
    const time = <T>(name: string, fn: () => T): T => (profile === undefined ? fn() : profile.time(name, fn));
    if (!(Number.isFinite(examples) && examples >= 0)) throw new TrainingError(`train workers: a share's example count must be ≥ 0, got ${examples}`, { code: 'SHAPE' });
    const L = this.#slotLength;
    const P = this.#nParams;
    const mine = this.#rank * L;
    this.#slots[mine + P] = loss;
    this.#slots[mine + P + 1] = examples;
    time('barrier wait', () => this.#barrier('the gradient exchange'));
    const weights = Array.from({ length: this.#n }, (_, r) => this.#slots[r * L + P + 1]);
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) throw new TrainingError(`train workers: step ${this.#step}'s batch had no examples in any share`, { code: 'SHAPE' });
    // Written after this step's first barrier, read before the next step's: single-buffered like the result.
    this.#partials[this.#rank] = time('reduction', () => this.#reduceRange(weights, 1 / total));
    let meanLoss = 0;
    for (let r = 0; r < this.#n; r++) meanLoss += this.#slots[r * L + P] * weights[r];
    time('barrier wait', () => this.#barrier('the gradient exchange'));
    this.#step += 1;
    let sumOfSquares = 0;
    for (let r = 0; r < this.#n; r++) sumOfSquares += this.#partials[r];
    return { grad: this.#result, loss: Math.fround(meanLoss / total), sumOfSquares };
  }

  /**
   * This replica's part of the result: Σ_k w_k·slot_k[i] · inv for i in its range, summed in rank order; returns
   * the sum of the squares of the float32 values it stored, in index order.
   */
  #reduceRange(weights: readonly number[], inv: number): number {
    const [lo, hi] = this.#range;
    const s = this.#slots;
    const out = this.#result;
    const L = this.#slotLength;
    if (this.#n === 2) {
      // The common case without the inner loop: the same two products summed in the same order.
      const [w0, w1] = weights;
      let sq2 = 0;
      for (let i = lo; i < hi; i++) {
        const m = Math.fround((s[i] * w0 + s[L + i] * w1) * inv);
        out[i] = m;
        sq2 += m * m;
      }
      return sq2;
    }
    let sq = 0;
    for (let i = lo; i < hi; i++) {
      let acc = 0;
      for (let r = 0; r < this.#n; r++) acc += s[r * L + i] * weights[r];
      const m = Math.fround(acc * inv);
      out[i] = m;
      sq += m * m;
    }
    return sq;
  }

  /**
   * After this replica wrote its `range` of the step's new weights into `weights`: publish `sumOfSquares` (Σ w_i²
   * over the range), wait for every replica's range, and return the new weights' squared global norm (the partial
   * sums added in rank order, the same bits in every replica). One barrier; call after `reduceMean`, once per
   * step. Safe single-buffered: step t+1 writes the weights and its partial only after its second `reduceMean`
   * barrier, which every replica reaches only after reading step t's weights.
   * @example exchange.weights.set(mine, lo); const sq = exchange.shareWeights(mySumOfSquares); load(exchange.weights)
   */
  shareWeights(sumOfSquares: number): number {
    this.#weightPartials[this.#rank] = sumOfSquares;
    // reduceMean counted the step already: name the one whose weights these are.
    this.#barrier('the weight exchange', this.#timeoutMs, this.#step - 1);
    let total = 0;
    for (let r = 0; r < this.#n; r++) total += this.#weightPartials[r];
    return total;
  }

  /** `reduceMean` from a gradient held elsewhere: copies it into this replica's slot first. */
  allReduceMean(grad: Float32Array, loss: number, examples = 1): ReducedMean {
    if (grad.length !== this.#nParams) throw new TrainingError(`train workers: gradient of ${grad.length} values, the exchange holds ${this.#nParams}`, { code: 'SHAPE' });
    this.slot.set(grad);
    return this.reduceMean(loss, examples);
  }

  /**
   * The epoch's outcome, decided by the leader: rank 0 passes its validation value and verdict code and gets them
   * back; every other replica passes null and gets the leader's. One barrier (the next write comes only after the
   * next epoch's exchanges, which every replica reaches only after reading this one).
   */
  agreeEpoch(mine: { valLoss: number; verdict: number } | null): { valLoss: number; verdict: number } {
    if ((this.#rank === 0) !== (mine !== null)) throw new TrainingError(`train workers: only replica 0 decides the epoch (replica ${this.#rank} ${mine === null ? 'passed nothing' : 'passed a verdict'})`);
    if (mine !== null) {
      this.#epoch[0] = mine.valLoss;
      this.#epoch[1] = mine.verdict;
    }
    this.#barrier('the end of the epoch', AGREE_TIMEOUT_MS);
    return { valLoss: this.#epoch[0], verdict: this.#epoch[1] };
  }

  /**
   * Compare a checksum of each replica's weights: bit-identical replicas give equal sums. Throws naming the first
   * replica that differs from replica 0. Two barriers (write, then read before anyone writes again).
   */
  checkReplicas(weights: Float32Array): void {
    this.#checksums[this.#rank] = weightChecksum(weights);
    const when = this.#step === 0 ? 'before the first step' : `after step ${this.#step}`;
    this.#barrier('the replica check');
    const first = this.#checksums[0];
    const differs = Array.from(this.#checksums).findIndex((c) => !Object.is(c, first));
    this.#barrier('the replica check');
    if (differs >= 0) {
      throw new TrainingError(`train workers: replica ${differs}'s weights differ from replica 0's ${when} (checksums ${this.#checksums[differs]} vs ${first}); the replicas diverged`);
    }
  }
}

/** The [lo, hi) of the flat parameter vector that replica `rank` of `n` reduces and updates (of `nParams`). */
export function paramRange(rank: number, n: number, nParams: number): readonly [number, number] {
  return [Math.floor((rank * nParams) / n), Math.floor(((rank + 1) * nParams) / n)];
}

/** A checksum that sees every bit: the float32 bit patterns mixed position-dependently (FNV-1a style, in float64-safe integers). */
export function weightChecksum(w: Float32Array): number {
  const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i], 0x01000193) >>> 0;
  return h + bits.length * 2 ** 32;
}
