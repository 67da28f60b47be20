import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../../src/errors.js';
import { batches, EDGE_INPUT_DIM, packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { EDGE_FEATURE_COUNT } from '../../../../src/subsystems/optimizer/dataset/types.js';
import { tinyPrepared } from './fixtures.js';

test('packing offsets each circuit, adds reverse edges and one self-loop per node', () => {
  const data = tinyPrepared(5);
  const { split } = data;
  const circuits = [3, 1];
  const b = packBatch(data, circuits);
  const nodes = circuits.map((c) => split.nodeOffsets[c + 1] - split.nodeOffsets[c]);
  const edges = circuits.map((c) => split.edgeOffsets[c + 1] - split.edgeOffsets[c]);
  assert.equal(b.nNodes, nodes[0] + nodes[1]);
  assert.equal(b.nEdges, 2 * (edges[0] + edges[1]) + b.nNodes);
  // The second circuit's first forward edge is its dataset edge shifted by the first circuit's node count.
  const k = split.edgeOffsets[1];
  const e = 2 * edges[0] + nodes[0];
  assert.deepEqual([b.src[e], b.dst[e]], [nodes[0] + split.edgeIndex[2 * k], nodes[0] + split.edgeIndex[2 * k + 1]]);
  assert.deepEqual([b.src[e + 1], b.dst[e + 1]], [b.dst[e], b.src[e]]);
  assert.equal(b.edgeFeatures[(e + 1) * EDGE_INPUT_DIM + EDGE_FEATURE_COUNT], 1, 'reverse flag');
  const selfLoops = [...b.src.keys()].filter((i) => b.src[i] === b.dst[i]);
  assert.equal(selfLoops.length, b.nNodes);
  assert.ok(selfLoops.every((i) => b.edgeFeatures[i * EDGE_INPUT_DIM + EDGE_FEATURE_COUNT + 1] === 1));
  // Readout slots: circuit g's real nodes first, then padding pointing at the zero row nNodes.
  assert.equal(b.maxNodes, Math.max(...nodes));
  assert.equal(b.readoutIndex[b.maxNodes + nodes[1] - 1], b.nNodes - 1);
  if (nodes[1] < b.maxNodes) assert.equal(b.readoutIndex[b.maxNodes + nodes[1]], b.nNodes);
  assert.deepEqual(Array.from(b.targets.subarray(6, 12)), Array.from(data.outputsZ.subarray(6, 12)));
});

test('shuffling is seeded: each epoch differs, and the same seed and epoch repeat exactly', () => {
  const data = tinyPrepared(12);
  const order = (seed: number, epoch: number): number[] =>
    [...batches(data, { batchSize: 5, seed, epoch, shuffle: true })].flatMap((b) => Array.from(b.circuits));
  assert.deepEqual(order(1, 0), order(1, 0));
  assert.notDeepEqual(order(1, 0), order(1, 1));
  assert.notDeepEqual(order(1, 0), order(2, 0));
  assert.deepEqual([...order(1, 0)].sort((a, b) => a - b), [...Array(12).keys()]);
});

test('a batch size of zero is a ConfigError naming batch_size', () => {
  const data = tinyPrepared(2);
  assert.throws(() => [...batches(data, { batchSize: 0, seed: 1, epoch: 0, shuffle: false })], (e: unknown) => e instanceof ConfigError && /^batch_size/.test(e.message));
});

test('data-parallel shares of every batch are cut by circuit work, cover the batch once and are packed alone', async () => {
  const { batchShares, circuitWork } = await import('../../../../src/subsystems/optimizer/batching.js');
  const data = tinyPrepared(22);
  const opts = { batchSize: 4, seed: 3, epoch: 1, shuffle: true } as const;
  const whole = [...batches(data, opts)];
  const byRank = [0, 1].map((rank) => [...batchShares(data, { ...opts, share: { rank, nShares: 2 } })]);
  assert.equal(byRank[0].length, whole.length);
  let unequalCut = false; // some batch is cut otherwise than into contiguous halves
  whole.forEach((b, i) => {
    const shares = byRank.map((r) => r[i]);
    const circuits = shares.flatMap((s) => (s.batch === null ? [] : Array.from(s.batch.circuits)));
    assert.deepEqual(circuits.sort((x, y) => x - y), Array.from(b.circuits).sort((x, y) => x - y), `batch ${i}: the shares' union is the batch`);
    assert.equal(shares[0].examples + shares[1].examples, b.nGraphs);
    for (const s of shares) if (s.batch !== null) assert.equal(s.batch.nGraphs, s.examples, 'each share packs only its own circuits');
    const work = shares.map((s) => (s.batch === null ? 0 : Array.from(s.batch.circuits).reduce((t, c) => t + circuitWork(data.split, c), 0)));
    const byCount = [Array.from(b.circuits).slice(0, 2), Array.from(b.circuits).slice(2)].map((cs) => cs.reduce((t, c) => t + circuitWork(data.split, c), 0));
    assert.ok(Math.max(...work) <= Math.max(...byCount), `batch ${i}: the busier share has ${Math.max(...work)}, by count ${Math.max(...byCount)}`);
    const first = shares[0].batch === null ? [] : Array.from(shares[0].batch.circuits);
    if (first.join() !== Array.from(b.circuits).slice(0, Math.floor(b.nGraphs / 2)).join()) unequalCut = true;
    // nodes + packed edges, as packBatch counts them
    for (const s of shares) if (s.batch !== null) assert.equal(work[shares.indexOf(s)], s.batch.nNodes + s.batch.nEdges);
  });
  assert.ok(unequalCut, 'the fixture exercises a cut other than by count');
});
