import { TrainingError } from '../../errors.js';

/**
 * Gradient averaging for data-parallel training across worker threads, over one SharedArrayBuffer.
 *
 * Each of `nWorkers` replicas writes its flattened gradient (plus its loss, the last element) into its own slot;
 * one barrier; then every replica sums the slots in the same order 0, 1, …, n−1 and divides by n. The same
 * additions in the same order give every replica bit-identical averages whatever the timing, so identical replicas
 * taking identical optimizer steps stay bit-identical (checked by `checkReplicas`). Slots are double-buffered by
 * step parity: a replica can only write step t+2's slot after the barrier of step t+1, which every replica reaches
 * only after reading step t's — so one barrier per step suffices.
 *
 * The barrier is sense-free: a generation counter that the last arrival bumps and notifies; the rest
 * `Atomics.wait` on it (allowed on Node's main thread too). A replica that stops arriving (crashed) would block
 * the others, so waits time out after `timeoutMs` with a TrainingError naming the step.
 */

const GENERATION = 0;
const ARRIVED = 1;
const CONTROL_INTS = 2;

/** What a replica needs to attach to the exchange: the buffer and its layout. Plain data, posted to each worker. */
export interface ExchangeLayout {
  readonly buffer: SharedArrayBuffer;
  readonly nWorkers: number;
  /** Floats per slot: the gradient's length + 1 for the loss. */
  readonly slotLength: number;
}

/** Allocate the shared buffer for `nWorkers` replicas of a model with `nParams` parameters. */
export function createExchange(nWorkers: number, nParams: number): ExchangeLayout {
  if (!(Number.isSafeInteger(nWorkers) && nWorkers >= 1)) throw new TrainingError(`train workers: expected an integer ≥ 1, got ${nWorkers}`);
  const slotLength = nParams + 1;
  const bytes = CONTROL_INTS * 4 + 2 * nWorkers * slotLength * 4 + nWorkers * 8;
  return { buffer: new SharedArrayBuffer(bytes), nWorkers, slotLength };
}

export class GradientExchange {
  readonly #rank: number;
  readonly #n: number;
  readonly #slotLength: number;
  readonly #control: Int32Array;
  readonly #slots: Float32Array;
  readonly #checksums: Float64Array;
  readonly #timeoutMs: number;
  #step = 0;

  constructor(layout: ExchangeLayout, rank: number, o: { timeoutMs?: number } = {}) {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < layout.nWorkers)) throw new TrainingError(`train workers: rank ${rank} outside [0, ${layout.nWorkers})`);
    this.#rank = rank;
    this.#n = layout.nWorkers;
    this.#slotLength = layout.slotLength;
    this.#control = new Int32Array(layout.buffer, 0, CONTROL_INTS);
    this.#slots = new Float32Array(layout.buffer, CONTROL_INTS * 4, 2 * layout.nWorkers * layout.slotLength);
    this.#checksums = new Float64Array(layout.buffer, CONTROL_INTS * 4 + 2 * layout.nWorkers * layout.slotLength * 4, layout.nWorkers);
    this.#timeoutMs = o.timeoutMs ?? 600_000;
  }

  get rank(): number {
    return this.#rank;
  }

  get nWorkers(): number {
    return this.#n;
  }

  /** Block until every replica has arrived at this barrier. */
  #barrier(what: string): void {
    const c = this.#control;
    const gen = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.#n - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    const deadline = Date.now() + this.#timeoutMs;
    while (Atomics.load(c, GENERATION) === gen) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(c, GENERATION, gen, left) === 'timed-out') {
        if (Atomics.load(c, GENERATION) !== gen) return;
        throw new TrainingError(`train workers: replica ${this.#rank} waited ${this.#timeoutMs} ms at ${what} (step ${this.#step}) for the others; one of them stopped`);
      }
    }
  }

  /**
   * The mean over replicas of `grad` (flattened, length nParams) and of `loss`, identical on every replica.
   * @example const { grad: mean, loss } = exchange.allReduceMean(flat, localLoss)
   */
  allReduceMean(grad: Float32Array, loss: number): { grad: Float32Array; loss: number } {
    const L = this.#slotLength;
    if (grad.length !== L - 1) throw new TrainingError(`train workers: gradient of ${grad.length} values, the exchange holds ${L - 1}`, { code: 'SHAPE' });
    const base = (this.#step % 2) * this.#n * L;
    const mine = this.#slots.subarray(base + this.#rank * L, base + (this.#rank + 1) * L);
    mine.set(grad);
    mine[L - 1] = loss;
    this.#barrier('the gradient exchange');
    const out = new Float32Array(L);
    out.set(this.#slots.subarray(base, base + L));
    for (let r = 1; r < this.#n; r++) {
      const s = this.#slots.subarray(base + r * L, base + (r + 1) * L);
      for (let i = 0; i < L; i++) out[i] += s[i];
    }
    const inv = 1 / this.#n;
    for (let i = 0; i < L; i++) out[i] *= inv;
    this.#step += 1;
    return { grad: out.subarray(0, L - 1), loss: out[L - 1] };
  }

  /**
   * Compare a checksum of each replica's weights: bit-identical replicas give equal sums. Throws naming the first
   * replica that differs from replica 0. Two barriers (write, then read before anyone writes again).
   */
  checkReplicas(weights: Float32Array): void {
    this.#checksums[this.#rank] = weightChecksum(weights);
    this.#barrier('the replica check');
    const first = this.#checksums[0];
    const differs = Array.from(this.#checksums).findIndex((c) => !Object.is(c, first));
    this.#barrier('the replica check');
    if (differs >= 0) {
      throw new TrainingError(`train workers: replica ${differs}'s weights differ from replica 0's after step ${this.#step} (checksums ${this.#checksums[differs]} vs ${first}); the replicas diverged`);
    }
  }
}

/** A checksum that sees every bit: the float32 bit patterns mixed position-dependently (FNV-1a style, in float64-safe integers). */
export function weightChecksum(w: Float32Array): number {
  const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i], 0x01000193) >>> 0;
  return h + bits.length * 2 ** 32;
}
