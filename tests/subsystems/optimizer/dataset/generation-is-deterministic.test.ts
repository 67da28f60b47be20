import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCircuit } from '../../../../src/subsystems/optimizer/dataset/circuit.js';
import { SplitBuilder, circuitRng } from '../../../../src/subsystems/optimizer/dataset/build-split.js';
import type { CircuitSplit } from '../../../../src/subsystems/optimizer/dataset/types.js';

/** The graph part of a split (labels stay zero: the estimator is tested elsewhere). */
function graphs(seed: number, split: string, n: number): CircuitSplit {
  const b = new SplitBuilder(n);
  for (let i = 0; i < n; i++) b.add(generateCircuit(circuitRng(seed, split, i)));
  return b.finish();
}

test('the same seed and split name give identical arrays', () => {
  const a = graphs(42, 'train', 40);
  const b = graphs(42, 'train', 40);
  assert.deepEqual(a.nodeFeatures, b.nodeFeatures);
  assert.deepEqual(a.nodeOffsets, b.nodeOffsets);
  assert.deepEqual(a.edgeIndex, b.edgeIndex);
  assert.deepEqual(a.edgeFeatures, b.edgeFeatures);
  assert.deepEqual(a.edgeOffsets, b.edgeOffsets);
});

test('a different seed or split name gives different circuits', () => {
  const base = graphs(42, 'train', 10);
  assert.notDeepEqual(graphs(43, 'train', 10).nodeOffsets, base.nodeOffsets);
  assert.notDeepEqual(graphs(42, 'val', 10).nodeOffsets, base.nodeOffsets);
});

test('circuit i does not depend on how many circuits the split holds', () => {
  const small = graphs(7, 'test', 5);
  const large = graphs(7, 'test', 20);
  assert.deepEqual(large.nodeOffsets.subarray(0, 6), small.nodeOffsets);
  assert.deepEqual(large.nodeFeatures.subarray(0, small.nodeFeatures.length), small.nodeFeatures);
});
