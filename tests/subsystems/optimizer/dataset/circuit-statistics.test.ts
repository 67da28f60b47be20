import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATE_ADD, generateCircuit, type Circuit } from '../../../../src/subsystems/optimizer/dataset/circuit.js';
import { circuitRng } from '../../../../src/subsystems/optimizer/dataset/build-split.js';

const circuits: Circuit[] = Array.from({ length: 200 }, (_, i) => generateCircuit(circuitRng(42, 'train', i)));

function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

test('the mean node count over 200 circuits lies between 200 and 300', () => {
  const { mean, std } = meanStd(circuits.map((c) => c.nNodes));
  assert.ok(mean >= 200 && mean <= 300, `mean node count ${mean}`);
  assert.ok(std > 20, `node counts should vary, std ${std}`);
});

test('depth and multiplicative depth vary from circuit to circuit', () => {
  const depths = new Set(circuits.map((c) => c.circuitDepth));
  const multDepths = new Set(circuits.map((c) => c.circuitMultDepth));
  assert.ok(depths.size >= 15, `only ${depths.size} distinct depths`);
  assert.ok(multDepths.size >= 8, `only ${multDepths.size} distinct multiplicative depths`);
  assert.ok(Math.min(...multDepths) <= 3 && Math.max(...multDepths) >= 10, `mult depths ${[...multDepths].sort((a, b) => a - b)}`);
});

test('fan-in varies: some additions sum more than two operands', () => {
  let wide = 0;
  let adds = 0;
  for (const c of circuits) {
    for (let i = 0; i < c.nNodes; i++) {
      if (c.gate[i] !== GATE_ADD) continue;
      adds++;
      if (c.fanIn[i] > 2) wide++;
    }
  }
  assert.ok(wide / adds > 0.1 && wide / adds < 0.6, `${wide} of ${adds} additions have fan-in > 2`);
});

test('every circuit has outputs and at least one ct×ct multiplication on average', () => {
  for (const c of circuits) assert.ok(c.isOutput.some((x) => x === 1), 'a circuit without outputs');
  const { mean } = meanStd(circuits.map((c) => c.nMults));
  assert.ok(mean > 10, `mean ct×ct multiplications ${mean}`);
});
