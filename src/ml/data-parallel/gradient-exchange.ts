import { TrainingError } from '../../errors.js';
import type { PhaseProfile } from '../phase-profile.js';

/**
 * Gradient averaging for data-parallel training across worker threads, over one SharedArrayBuffer.
 *
 * Each of `nWorkers` replicas writes its flattened gradient and its loss, both multiplied by the number of examples
 * in its share of the batch, and that count (the last two elements) into its own slot; one barrier; then every
 * replica sums the slots in the same order 0, 1, …, n−1 and divides by the summed count — the whole batch's mean,
 * also when shares differ in size (a short last batch). The same
 * additions in the same order give every replica bit-identical averages whatever the timing, so identical replicas
 * taking identical optimizer steps stay bit-identical (checked by `checkReplicas`). Slots are double-buffered by
 * step parity: a replica can only write step t+2's slot after the barrier of step t+1, which every replica reaches
 * only after reading step t's — so one barrier per step suffices.
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
/** The leader validates and checkpoints while the others wait at `agreeEpoch`: allow it hours, not minutes. */
const AGREE_TIMEOUT_MS = 24 * 3600_000;

/** What a replica needs to attach to the exchange: the buffer and its layout. Plain data, posted to each worker. */
export interface ExchangeLayout {
  readonly buffer: SharedArrayBuffer;
  readonly nWorkers: number;
  /** Floats per slot: the gradient's length + 2 (the weighted loss, the example count). */
  readonly slotLength: number;
}

/** Allocate the shared buffer for `nWorkers` replicas of a model with `nParams` parameters. */
export function createExchange(nWorkers: number, nParams: number): ExchangeLayout {
  if (!(Number.isSafeInteger(nWorkers) && nWorkers >= 1)) throw new TrainingError(`train workers: expected an integer ≥ 1, got ${nWorkers}`);
  if (!(Number.isSafeInteger(nParams) && nParams >= 1)) throw new TrainingError(`train workers: expected a model with ≥ 1 parameter, got ${nParams}`);
  const slotLength = nParams + 2;
  const bytes = CONTROL_INTS * 4 + 2 * nWorkers * slotLength * 4 + (nWorkers + EPOCH_FLOATS) * 8;
  return { buffer: new SharedArrayBuffer(bytes), nWorkers, slotLength };
}

export class GradientExchange {
  readonly #rank: number;
  readonly #n: number;
  readonly #slotLength: number;
  readonly #control: Int32Array;
  readonly #slots: Float32Array;
  readonly #checksums: Float64Array;
  readonly #epoch: Float64Array;
  readonly #timeoutMs: number;
  #step = 0;

  constructor(layout: ExchangeLayout, rank: number, o: { timeoutMs?: number } = {}) {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < layout.nWorkers)) throw new TrainingError(`train workers: rank ${rank} outside [0, ${layout.nWorkers})`);
    this.#rank = rank;
    this.#n = layout.nWorkers;
    this.#slotLength = layout.slotLength;
    this.#control = new Int32Array(layout.buffer, 0, CONTROL_INTS);
    this.#slots = new Float32Array(layout.buffer, CONTROL_INTS * 4, 2 * layout.nWorkers * layout.slotLength);
    const f64 = CONTROL_INTS * 4 + 2 * layout.nWorkers * layout.slotLength * 4;
    this.#checksums = new Float64Array(layout.buffer, f64, layout.nWorkers);
    this.#epoch = new Float64Array(layout.buffer, f64 + layout.nWorkers * 8, EPOCH_FLOATS);
    this.#timeoutMs = o.timeoutMs ?? 600_000;
  }

  get rank(): number {
    return this.#rank;
  }

  get nWorkers(): number {
    return this.#n;
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

  #throwIfAborted(what: string): void {
    const by = Atomics.load(this.#control, ABORTED) - 1;
    if (by >= 0 && by !== this.#rank) throw new TrainingError(`train workers: replica ${by} failed, so replica ${this.#rank} stopped at ${what} (step ${this.#step}); see replica ${by}'s error`);
  }

  /**
   * Block until every replica has arrived at this barrier. A barrier that completed returns even if a replica
   * aborted since (its failure surfaces at the next barrier), so replicas that all threw the same error (the
   * replica check) report it rather than each other's abort.
   */
  #barrier(what: string, timeoutMs = this.#timeoutMs): void {
    const c = this.#control;
    this.#throwIfAborted(what);
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
        throw new TrainingError(`train workers: replica ${this.#rank} waited ${timeoutMs} ms at ${what} (step ${this.#step}) for the others; one of them stopped`);
      }
    }
    if (Atomics.load(c, COMPLETED) <= gen) this.#throwIfAborted(what);
  }

  /**
   * The mean over replicas of `grad` (flattened, length nParams) and of `loss`, each weighted by the replica's
   * `examples` (its share of the batch; 0 for an empty share), identical on every replica.
   * @example const { grad: mean, loss } = exchange.allReduceMean(flat, localLoss, 6)
   */
  allReduceMean(grad: Float32Array, loss: number, examples = 1, profile?: PhaseProfile): { grad: Float32Array; loss: number } {
    const time = <T>(name: string, fn: () => T): T => (profile === undefined ? fn() : profile.time(name, fn));
    const L = this.#slotLength;
    const P = L - 2;
    if (grad.length !== P) throw new TrainingError(`train workers: gradient of ${grad.length} values, the exchange holds ${P}`, { code: 'SHAPE' });
    if (!(Number.isFinite(examples) && examples >= 0)) throw new TrainingError(`train workers: a share's example count must be ≥ 0, got ${examples}`, { code: 'SHAPE' });
    const base = (this.#step % 2) * this.#n * L;
    const mine = this.#slots.subarray(base + this.#rank * L, base + (this.#rank + 1) * L);
    time('gradient write to slot', () => {
      for (let i = 0; i < P; i++) mine[i] = grad[i] * examples;
    });
    mine[P] = loss * examples;
    mine[P + 1] = examples;
    time('barrier wait', () => this.#barrier('the gradient exchange'));
    const out = time('reduction', () => {
      const sum = new Float32Array(L);
      sum.set(this.#slots.subarray(base, base + L));
      for (let r = 1; r < this.#n; r++) {
        const s = this.#slots.subarray(base + r * L, base + (r + 1) * L);
        for (let i = 0; i < L; i++) sum[i] += s[i];
      }
      return sum;
    });
    const total = out[P + 1];
    if (!(total > 0)) throw new TrainingError(`train workers: step ${this.#step}'s batch had no examples in any share`, { code: 'SHAPE' });
    const inv = 1 / total;
    for (let i = 0; i <= P; i++) out[i] *= inv;
    this.#step += 1;
    return { grad: out.subarray(0, P), loss: out[P] };
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
