/**
 * Builds a whole split in memory: circuits generated from per-circuit seeds, featurised straight into flat
 * typed arrays, labelled by the estimator's parameter search.
 */
import { ConfigError } from '../../../errors.js';
import { hashString, Rng } from '../../../util/rng.js';
import { DEFAULT_CIRCUIT_SHAPE, generateCircuit, type Circuit, type CircuitShape } from './circuit.js';
import { writeEdges, writeNodeFeatures } from './features.js';
import type { CircuitLabels, Labeller } from './labels.js';
import { EDGE_FEATURE_COUNT, NODE_FEATURE_COUNT, type CircuitSplit } from './types.js';

/** Grows `a` to hold at least `needed` elements, doubling so that appends are amortised O(1). */
function grow<T extends Float32Array | Int32Array>(a: T, needed: number, make: (n: number) => T): T {
  if (needed <= a.length) return a;
  const b = make(Math.max(needed, a.length * 2));
  b.set(a);
  return b;
}

/** Appends circuits (features and labels) to growing CSR arrays; `finish` trims them into a `CircuitSplit`. */
export class SplitBuilder {
  #n = 0;
  #totalNodes = 0;
  #totalEdges = 0;
  #nodeFeatures: Float32Array;
  #edgeFeatures: Float32Array;
  #edgeIndex: Int32Array;
  readonly #nodeOffsets: Int32Array;
  readonly #edgeOffsets: Int32Array;
  readonly #targets: Float32Array;
  readonly #metrics: Float32Array;

  /** `capacity` is the number of circuits the split will hold. */
  constructor(readonly capacity: number) {
    // ~250 nodes and ~400 edges per circuit on average: start near the final size to avoid most copies.
    this.#nodeFeatures = new Float32Array(capacity * 256 * NODE_FEATURE_COUNT);
    this.#edgeFeatures = new Float32Array(capacity * 416 * EDGE_FEATURE_COUNT);
    this.#edgeIndex = new Int32Array(capacity * 416 * 2);
    this.#nodeOffsets = new Int32Array(capacity + 1);
    this.#edgeOffsets = new Int32Array(capacity + 1);
    this.#targets = new Float32Array(capacity * 3);
    this.#metrics = new Float32Array(capacity * 3);
  }

  get size(): number {
    return this.#n;
  }

  /** Appends the graph of `circuit` and returns its index; its labels are zero until `setLabels`. */
  add(circuit: Circuit): number {
    if (this.#n >= this.capacity) {
      throw new ConfigError(`SplitBuilder: capacity ${this.capacity} reached; construct it with the split's circuit count`);
    }
    const nodes = this.#totalNodes + circuit.nNodes;
    const edges = this.#totalEdges + circuit.nEdges;
    this.#nodeFeatures = grow(this.#nodeFeatures, nodes * NODE_FEATURE_COUNT, (n) => new Float32Array(n));
    this.#edgeFeatures = grow(this.#edgeFeatures, edges * EDGE_FEATURE_COUNT, (n) => new Float32Array(n));
    this.#edgeIndex = grow(this.#edgeIndex, edges * 2, (n) => new Int32Array(n));
    writeNodeFeatures(circuit, this.#nodeFeatures, this.#totalNodes);
    writeEdges(circuit, this.#edgeIndex, this.#edgeFeatures, this.#totalEdges);
    this.#totalNodes = nodes;
    this.#totalEdges = edges;
    const i = this.#n++;
    this.#nodeOffsets[i + 1] = nodes;
    this.#edgeOffsets[i + 1] = edges;
    return i;
  }

  setLabels(index: number, labels: CircuitLabels): void {
    this.#targets.set(labels.targets, index * 3);
    this.#metrics.set(labels.metrics, index * 3);
  }

  /** The split so far; arrays are trimmed copies, so the builder may be dropped afterwards. */
  finish(): CircuitSplit {
    const n = this.#n;
    return {
      nCircuits: n,
      nodeFeatures: this.#nodeFeatures.slice(0, this.#totalNodes * NODE_FEATURE_COUNT),
      nodeOffsets: this.#nodeOffsets.slice(0, n + 1),
      edgeIndex: this.#edgeIndex.slice(0, this.#totalEdges * 2),
      edgeFeatures: this.#edgeFeatures.slice(0, this.#totalEdges * EDGE_FEATURE_COUNT),
      edgeOffsets: this.#edgeOffsets.slice(0, n + 1),
      targets: this.#targets.slice(0, n * 3),
      metrics: this.#metrics.slice(0, n * 3),
    };
  }
}

export interface BuildSplitOptions {
  readonly nCircuits: number;
  /** Dataset seed; each circuit gets `new Rng(seed, hashString(split), index)`. */
  readonly seed: number;
  /** Split name (`train`, `val`, `test`): part of every circuit's seed, so splits never share circuits. */
  readonly split: string;
  readonly shape?: CircuitShape;
  /** Normally `createLabeller()` (the estimator's parameter search). */
  readonly labeller: Labeller;
  /** Called every `progressEvery` circuits (default 500) and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
}

/** The seeded rng of circuit `index` of `split`: independent of split size, so prefixes are stable. */
export function circuitRng(seed: number, split: string, index: number): Rng {
  return new Rng(seed, hashString(split), index);
}

/**
 * Generates, featurises and labels `nCircuits` circuits. Deterministic in (seed, split, shape).
 *
 * @example
 * const train = buildSplit({ nCircuits: 100, seed: 42, split: 'train', labeller: createLabeller() });
 */
export function buildSplit(opts: BuildSplitOptions): CircuitSplit {
  if (!Number.isInteger(opts.nCircuits) || opts.nCircuits < 1) {
    throw new ConfigError(`nCircuits: expected a positive integer, got ${opts.nCircuits}`);
  }
  if (!Number.isSafeInteger(opts.seed)) throw new ConfigError(`seed: expected an integer, got ${opts.seed}`);
  const shape = opts.shape ?? DEFAULT_CIRCUIT_SHAPE;
  const every = opts.progressEvery ?? 500;
  const builder = new SplitBuilder(opts.nCircuits);
  for (let i = 0; i < opts.nCircuits; i++) {
    const circuit = generateCircuit(circuitRng(opts.seed, opts.split, i), shape);
    builder.setLabels(builder.add(circuit), opts.labeller(circuit));
    if (opts.onProgress && ((i + 1) % every === 0 || i + 1 === opts.nCircuits)) opts.onProgress(i + 1, opts.nCircuits);
  }
  return builder.finish();
}
