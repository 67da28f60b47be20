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
