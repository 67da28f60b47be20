import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATE_CONST, GATE_INPUT, GATE_MUL_CT, generateCircuit } from '../../../../src/subsystems/optimizer/dataset/circuit.js';
import { SplitBuilder, circuitRng } from '../../../../src/subsystems/optimizer/dataset/build-split.js';
import { NODE_FEATURES } from '../../../../src/subsystems/optimizer/dataset/features.js';
import { validateSplit } from '../../../../src/subsystems/optimizer/dataset/validate-split.js';

const circuits = Array.from({ length: 60 }, (_, i) => generateCircuit(circuitRng(3, 'val', i)));

test('every edge goes from a lower to a higher node index, so no circuit has a cycle', () => {
  for (const c of circuits) {
    for (let e = 0; e < c.nEdges; e++) assert.ok(c.edgeSrc[e] < c.edgeDst[e], `edge ${c.edgeSrc[e]} → ${c.edgeDst[e]}`);
  }
});

test('depth, multiplicative depth and fan-in agree with the edges', () => {
  for (const c of circuits) {
    const depth = new Int32Array(c.nNodes);
    const mult = new Int32Array(c.nNodes);
    const fanIn = new Int32Array(c.nNodes);
    const fanOut = new Int32Array(c.nNodes);
    // Edges are grouped by destination in increasing order, so one pass in edge order is a topological pass.
    for (let e = 0; e < c.nEdges; e++) {
      const s = c.edgeSrc[e];
      const d = c.edgeDst[e];
      depth[d] = Math.max(depth[d], depth[s] + 1);
      mult[d] = Math.max(mult[d], mult[s] + (c.gate[d] === GATE_MUL_CT ? 1 : 0));
      fanIn[d]++;
      fanOut[s]++;
    }
    assert.deepEqual(depth, c.depth);
    assert.deepEqual(mult, c.multDepth);
    assert.deepEqual(fanIn, c.fanIn);
    assert.deepEqual(fanOut, c.fanOut);
    assert.equal(c.circuitMultDepth, Math.max(...mult));
    assert.equal(c.nMults, c.gate.filter((g) => g === GATE_MUL_CT).length);
  }
});

test('sources have no operands and every gate has at least one', () => {
  for (const c of circuits) {
    for (let i = 0; i < c.nNodes; i++) {
      const source = c.gate[i] === GATE_INPUT || c.gate[i] === GATE_CONST;
      assert.equal(c.fanIn[i] === 0, source, `node ${i} (gate ${c.gate[i]}) has fan-in ${c.fanIn[i]}`);
    }
  }
});

test('the featurised split passes validation and each node has exactly one gate type', () => {
  const b = new SplitBuilder(circuits.length);
  for (const c of circuits) b.add(c);
  const split = b.finish();
  validateSplit(split, { where: 'test split', fix: 'fix the generator' });
  const width = NODE_FEATURES.length;
  for (let r = 0; r < split.nodeFeatures.length / width; r++) {
    let hot = 0;
    for (let k = 0; k < 7; k++) hot += split.nodeFeatures[r * width + k];
    assert.equal(hot, 1, `node row ${r}`);
  }
});
