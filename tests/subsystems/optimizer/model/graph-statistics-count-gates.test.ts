/**
 * The readout's circuit statistics: mean and max pooling cannot count, so the per-circuit input must carry the
 * counts the labels depend on (ciphertext multiplications for σ, multiplicative depth for n and log2 q).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GATE_MUL_CT, GATE_TYPES, generateCircuit } from '../../../../src/subsystems/optimizer/dataset/circuit.js';
import { circuitRng } from '../../../../src/subsystems/optimizer/dataset/build-split.js';
import { MULT_DEPTH_SCALE } from '../../../../src/subsystems/optimizer/dataset/features.js';
import { NODE_FEATURE_COUNT } from '../../../../src/subsystems/optimizer/dataset/types.js';
import {
  encodeGraphStatistics, featureStats, FOURIER_BANDS, GRAPH_INPUT_DIM, GRAPH_STAT_DIM, graphStatistics,
} from '../../../../src/subsystems/optimizer/feature-stats.js';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { TINY_SHAPE, tinyPrepared, tinySplit } from './fixtures.js';

test('graph statistics hold each circuit’s gate counts, multiplicative depth and node count', () => {
  const split = tinySplit(6, 'train', 11);
  const raw = graphStatistics(split);
  assert.equal(raw.length, 6 * GRAPH_STAT_DIM);
  for (let c = 0; c < 6; c++) {
    const circuit = generateCircuit(circuitRng(11, 'train', c), TINY_SHAPE);
    const row = raw.subarray(c * GRAPH_STAT_DIM, (c + 1) * GRAPH_STAT_DIM);
    for (let g = 0; g < GATE_TYPES.length; g++) {
      const count = circuit.gate.filter((x) => x === g).length;
      assert.ok(Math.abs(row[g] - Math.log1p(count)) < 1e-5, `circuit ${c} ${GATE_TYPES[g]}: ${row[g]} vs ln(1 + ${count})`);
    }
    assert.ok(Math.abs(row[GATE_MUL_CT] - Math.log1p(circuit.nMults)) < 1e-5);
    // Column 8 is mult_depth; its max over the nodes is the circuit's multiplicative depth.
    assert.ok(Math.abs(row[NODE_FEATURE_COUNT + 8] - circuit.circuitMultDepth / MULT_DEPTH_SCALE) < 1e-6);
    assert.ok(Math.abs(row[2 * NODE_FEATURE_COUNT] - Math.log(circuit.nNodes)) < 1e-5);
  }
});

test('the encoded statistics are z-scores followed by their sine and cosine bands', () => {
  const split = tinySplit(8, 'train', 3);
  const stats = featureStats(split);
  const raw = graphStatistics(split);
  const enc = encodeGraphStatistics(raw, stats);
  assert.equal(enc.length, 8 * GRAPH_INPUT_DIM);
  assert.equal(GRAPH_INPUT_DIM, GRAPH_STAT_DIM * (1 + 2 * FOURIER_BANDS));
  const f = GATE_MUL_CT;
  for (let r = 0; r < 8; r++) {
    const z = (raw[r * GRAPH_STAT_DIM + f] - stats.graphMean[f]) / stats.graphStd[f];
    const o = r * GRAPH_INPUT_DIM;
    assert.ok(Math.abs(enc[o + f] - z) < 1e-5);
    for (let k = 0; k < FOURIER_BANDS; k++) {
      assert.ok(Math.abs(enc[o + GRAPH_STAT_DIM * (1 + 2 * k) + f] - Math.sin(2 ** k * Math.PI * z)) < 1e-5);
      assert.ok(Math.abs(enc[o + GRAPH_STAT_DIM * (2 + 2 * k) + f] - Math.cos(2 ** k * Math.PI * z)) < 1e-5);
    }
  }
  // Training-split z-scores are centred: the mean of the multiplication-count column is ~0.
  let mean = 0;
  for (let r = 0; r < 8; r++) mean += enc[r * GRAPH_INPUT_DIM + f] / 8;
  assert.ok(Math.abs(mean) < 1e-5);
});

test('a packed batch carries each of its circuits’ encoded statistics, in batch order', () => {
  const data = tinyPrepared(5);
  const b = packBatch(data, [4, 0]);
  assert.deepEqual(Array.from(b.graphInputs.subarray(0, GRAPH_INPUT_DIM)), Array.from(data.graphInputs.subarray(4 * GRAPH_INPUT_DIM, 5 * GRAPH_INPUT_DIM)));
  assert.deepEqual(Array.from(b.graphInputs.subarray(GRAPH_INPUT_DIM)), Array.from(data.graphInputs.subarray(0, GRAPH_INPUT_DIM)));
});
