import { ConfigError } from '../../errors.js';
import { shareByWork, type Share, type ShareOf } from '../../ml/data-parallel/shares.js';
import { mix32 } from '../../ml/layers/keyed-dropout.js';
import { Rng } from '../../util/rng.js';
import { EDGE_FEATURE_COUNT, NODE_FEATURE_COUNT, type CircuitSplit } from './dataset/types.js';
import { GRAPH_INPUT_DIM, OUTPUT_COUNT, type FeatureStats, type PreparedSplit } from './feature-stats.js';

/**
 * Packing circuits into disjoint-union graphs: k circuits become one graph whose node indices are offset per
 * circuit, as in PyTorch Geometric's `Batch.from_data_list`. The attention layers never see circuit
 * boundaries; only the readout does, through `readoutIndex`.
 */

/** Edge features the network sees: the dataset's 5, then `is_reverse` and `is_self_loop` flags. */
export const EDGE_INPUT_DIM = EDGE_FEATURE_COUNT + 2;

/** One packed batch, all arrays row-major and ready to become tensors. */
export interface GraphBatch {
  readonly nGraphs: number;
  readonly nNodes: number;
  /** Forward edges, their reverses and one self-loop per node. */
  readonly nEdges: number;
  /** float32 [nNodes, 12], z-scored. */
  readonly nodeFeatures: Float32Array;
  /** int32 [nEdges]: global source and destination node of each message. */
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** float32 [nEdges, EDGE_INPUT_DIM]. */
  readonly edgeFeatures: Float32Array;
  /** Largest circuit in the batch; the readout pads every circuit to it. */
  readonly maxNodes: number;
  /** int32 [nGraphs × maxNodes]: node of each readout slot, `nNodes` (a zero row) for padding. */
  readonly readoutIndex: Int32Array;
  /** float32 [nGraphs × maxNodes]: 0 for a real node, -1e9 for padding (masks the max readout). */
  readonly readoutBias: Float32Array;
  /** float32 [nGraphs]: nodes per circuit, for the mean readout. */
  readonly nodeCounts: Float32Array;
  /** float32 [nGraphs, GRAPH_INPUT_DIM]: per-circuit statistics (gate counts, depths, size), encoded. */
  readonly graphInputs: Float32Array;
  /** float32 [nGraphs, 6], z-scored targets then metrics. */
  readonly targets: Float32Array;
  /** Which circuits of the split these are. */
  readonly circuits: Int32Array;
  /**
   * Row keys for keyed dropout (ml/layers/keyed-dropout.ts), one per node, edge and circuit: hashes of (circuit,
   * index within the circuit), so a row's dropout mask does not depend on where the circuit sits in the batch.
   */
  readonly nodeKeys: Int32Array;
  readonly edgeKeys: Int32Array;
  readonly graphKeys: Int32Array;
  /**
   * The training batch's dropout seed, from (shuffle seed, epoch, batch index): the same for the whole batch and
   * every data-parallel share of it, so replicas draw one worker's masks. Absent (a batch packed directly): the
   * model draws masks from its own seeded stream.
   */
  readonly dropoutSeed?: number;
}

function sizes(split: CircuitSplit, circuits: readonly number[]): { nNodes: number; nEdges: number; maxNodes: number } {
  let nNodes = 0;
  let nEdges = 0;
  let maxNodes = 1;
  for (const c of circuits) {
    const n = split.nodeOffsets[c + 1] - split.nodeOffsets[c];
    nNodes += n;
    nEdges += 2 * (split.edgeOffsets[c + 1] - split.edgeOffsets[c]) + n;
    maxNodes = Math.max(maxNodes, n);
  }
  return { nNodes, nEdges, maxNodes };
}

/** Writes circuit `c`'s edges (forward, reverse, self-loops) from position `e`; returns the next position. */
function writeEdges(split: CircuitSplit, c: number, nodeBase: number, e: number, stats: FeatureStats, out: GraphBatch): number {
  const { src, dst, edgeFeatures: ef, edgeKeys } = out;
  const first = e;
  for (let k = split.edgeOffsets[c]; k < split.edgeOffsets[c + 1]; k++) {
    const s = nodeBase + split.edgeIndex[2 * k];
    const d = nodeBase + split.edgeIndex[2 * k + 1];
    for (const [from, to, reverse] of [[s, d, 0], [d, s, 1]] as const) {
      src[e] = from;
      dst[e] = to;
      for (let f = 0; f < EDGE_FEATURE_COUNT; f++) {
        ef[e * EDGE_INPUT_DIM + f] = (split.edgeFeatures[k * EDGE_FEATURE_COUNT + f] - stats.edgeMean[f]) / stats.edgeStd[f];
      }
      ef[e * EDGE_INPUT_DIM + EDGE_FEATURE_COUNT] = reverse;
      edgeKeys[e] = mix32(c, e - first);
      e++;
    }
  }
  // Self-loops (as in GAT, Veličković et al. 2018, eq. 3) let a node attend to itself and give every node at
  // least one incoming edge, so no softmax is over an empty set.
  const n = split.nodeOffsets[c + 1] - split.nodeOffsets[c];
  for (let i = 0; i < n; i++) {
    src[e] = dst[e] = nodeBase + i;
    ef[e * EDGE_INPUT_DIM + EDGE_FEATURE_COUNT + 1] = 1;
    edgeKeys[e] = mix32(c, e - first);
    e++;
  }
  return e;
}

/**
 * Packs the given circuits of a prepared split into one disjoint-union graph.
 * @example const batch = packBatch(prepareSplit(train, featureStats(train)), [4, 17, 3]);
 */
export function packBatch(prepared: PreparedSplit, circuits: readonly number[]): GraphBatch {
  const { split, stats } = prepared;
  for (const c of circuits) {
    if (!Number.isInteger(c) || c < 0 || c >= split.nCircuits) {
      throw new ConfigError(`packBatch: circuit index ${c} is outside the split's 0..${split.nCircuits - 1}`);
    }
  }
  const { nNodes, nEdges, maxNodes } = sizes(split, circuits);
  const B = circuits.length;
  const batch: GraphBatch = {
    nGraphs: B, nNodes, nEdges, maxNodes,
    nodeFeatures: new Float32Array(nNodes * NODE_FEATURE_COUNT),
    src: new Int32Array(nEdges), dst: new Int32Array(nEdges),
    edgeFeatures: new Float32Array(nEdges * EDGE_INPUT_DIM),
    readoutIndex: new Int32Array(B * maxNodes).fill(nNodes),
    readoutBias: new Float32Array(B * maxNodes).fill(-1e9),
    nodeCounts: new Float32Array(B),
    graphInputs: new Float32Array(B * GRAPH_INPUT_DIM),
    targets: new Float32Array(B * OUTPUT_COUNT),
    circuits: Int32Array.from(circuits),
    nodeKeys: new Int32Array(nNodes), edgeKeys: new Int32Array(nEdges), graphKeys: new Int32Array(B),
  };
  let nodeBase = 0;
  let e = 0;
  // A plain loop over a top-level function, not a closure per call: V8 optimized a fresh `forEach` closure again
  // for every batch (10–19 ms of TurboFan on its helper threads per batch, per replica: issue 17, session 29).
  for (let g = 0; g < B; g++) {
    const c = circuits[g];
    writeNodes(prepared, c, g, nodeBase, batch);
    e = writeEdges(split, c, nodeBase, e, stats, batch);
    nodeBase += split.nodeOffsets[c + 1] - split.nodeOffsets[c];
  }
  return batch;
}

/** Circuit `c`'s nodes from row `nodeBase`, its readout slots, counts, keys, inputs and targets as graph `g`. */
function writeNodes(prepared: PreparedSplit, c: number, g: number, nodeBase: number, batch: GraphBatch): void {
  const { split, stats } = prepared;
  const { maxNodes } = batch;
  const first = split.nodeOffsets[c];
  const n = split.nodeOffsets[c + 1] - first;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < NODE_FEATURE_COUNT; f++) {
      const v = split.nodeFeatures[(first + i) * NODE_FEATURE_COUNT + f];
      batch.nodeFeatures[(nodeBase + i) * NODE_FEATURE_COUNT + f] = (v - stats.nodeMean[f]) / stats.nodeStd[f];
    }
    batch.nodeKeys[nodeBase + i] = mix32(c, i);
    batch.readoutIndex[g * maxNodes + i] = nodeBase + i;
    batch.readoutBias[g * maxNodes + i] = 0;
  }
  batch.nodeCounts[g] = n;
  batch.graphKeys[g] = mix32(c, 0x7fffffff);
  batch.graphInputs.set(prepared.graphInputs.subarray(c * GRAPH_INPUT_DIM, (c + 1) * GRAPH_INPUT_DIM), g * GRAPH_INPUT_DIM);
  for (let j = 0; j < OUTPUT_COUNT; j++) {
    batch.targets[g * OUTPUT_COUNT + j] = prepared.outputsZ[c * OUTPUT_COUNT + j];
  }
}

export interface BatchOptions {
  readonly batchSize: number;
  /** Shuffle seed; each epoch's order is drawn from `Rng(seed, epoch)`, so epochs differ but runs repeat. */
  readonly seed: number;
  readonly epoch: number;
  /** false for validation and test: circuits in split order. */
  readonly shuffle: boolean;
  /** Use only the first `limit` circuits of the split (e.g. a fixed validation subset); null for all. */
  readonly limit?: number | null;
}

/**
 * The batches of one epoch, packed lazily so only one batch is in memory at a time.
 * @example for (const b of batches(prepared, { batchSize: 8, seed: 42, epoch: 0, shuffle: true })) …
 */
export function* batches(prepared: PreparedSplit, opts: BatchOptions): Generator<GraphBatch> {
  let b = 0;
  for (const circuits of batchCircuits(prepared, opts)) yield { ...packBatch(prepared, circuits), dropoutSeed: dropoutSeed(opts, b++) };
}

/** Batch `b`'s dropout seed: a function of the run's shuffle seed, the epoch and the batch's index only. */
function dropoutSeed(opts: BatchOptions, b: number): number {
  return new Rng(opts.seed, opts.epoch, b, 0xd20).nextUint32();
}

/**
 * A circuit's share of a step's work: its nodes plus the edges it packs to (forward, reverse, self-loops). The
 * attention layers' products scale with the nodes and their gathers, scores and sums with the edges; the step's
 * fixed per-op cost is the same for every share and does not enter the cut.
 */
export function circuitWork(split: CircuitSplit, c: number): number {
  const n = split.nodeOffsets[c + 1] - split.nodeOffsets[c];
  return n + 2 * (split.edgeOffsets[c + 1] - split.edgeOffsets[c]) + n;
}

/**
 * Data-parallel training: replica `share.rank`'s circuits of each of `batches`' batches (same shuffle), cut by
 * work (ml/data-parallel/shares.ts `shareByWork` over `circuitWork`) so that a replica given the batch's large
 * circuits does not leave the other waiting at the barrier, and packed; only this replica's circuits are packed.
 * Its gradient is weighted by its circuit count (the loss is a mean over circuits), so the replicas' mean is the
 * whole batch's, and it carries the whole batch's dropout seed: with keyed masks its circuits are dropped out as in
 * the whole batch. Null for an empty share of a short last batch.
 */
export function* batchShares(prepared: PreparedSplit, opts: BatchOptions & { readonly share: ShareOf }): Generator<Share<GraphBatch>> {
  const { split } = prepared;
  let b = 0;
  for (const circuits of batchCircuits(prepared, opts)) {
    const mine = shareByWork(circuits, circuits.map((c) => circuitWork(split, c)), opts.share);
    const seed = dropoutSeed(opts, b++);
    yield { batch: mine.length === 0 ? null : { ...packBatch(prepared, mine), dropoutSeed: seed }, examples: mine.length };
  }
}

/** The circuit indices of each batch of one epoch, in order. */
function* batchCircuits(prepared: PreparedSplit, opts: BatchOptions): Generator<number[]> {
  const { split } = prepared;
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) {
    throw new ConfigError(`batch_size: expected a positive integer, got ${opts.batchSize}; set e.g. batch_size: 8`);
  }
  const n = Math.min(split.nCircuits, opts.limit ?? split.nCircuits);
  const order = Array.from({ length: n }, (_, i) => i);
  if (opts.shuffle) new Rng(opts.seed, opts.epoch, 0x5eed).shuffle(order);
  // Lazy: a capped epoch (ml/train-loop.ts applies the budget's batch cap) simply stops drawing.
  const nBatches = Math.ceil(n / opts.batchSize);
  for (let b = 0; b < nBatches; b++) yield order.slice(b * opts.batchSize, (b + 1) * opts.batchSize);
}
