import { test } from 'node:test';
import assert from 'node:assert/strict';
import { naturalCompare, naturalSort } from '../../src/cli/natural-sort.js';

test('numbered parameter names sort by the number: p2 before p10, p10 before p100', () => {
  assert.deepEqual(naturalSort(['p100', 'p10', 'p1', 'p2', 'p0', 'p11']), ['p0', 'p1', 'p2', 'p10', 'p11', 'p100']);
});

test('numbers inside names compare by value at each position, text by code unit', () => {
  assert.deepEqual(naturalSort(['layer_10_units', 'layer_9_units', 'layer_9_dropout', 'lr', 'layer_1']), ['layer_1', 'layer_9_dropout', 'layer_9_units', 'layer_10_units', 'lr']);
  assert.deepEqual(naturalSort(['b', 'a10', 'a2b', 'a2a', 'a']), ['a', 'a2a', 'a2b', 'a10', 'b']);
});

test('digit runs longer than a double holds still compare exactly', () => {
  assert.deepEqual(naturalSort(['x90071992547409930', 'x90071992547409929', 'x9']), ['x9', 'x90071992547409929', 'x90071992547409930']);
});

test('leading zeros tie on value and are then ordered by the plain string, so the order is total', () => {
  assert.deepEqual(naturalSort(['p1', 'p01', 'p001', 'p2']), ['p001', 'p01', 'p1', 'p2']);
  assert.equal(naturalCompare('p01', 'p01'), 0);
  for (const [a, b] of [['p1', 'p01'], ['p2', 'p10'], ['a', 'a1']]) assert.equal(Math.sign(naturalCompare(a, b)), -Math.sign(naturalCompare(b, a)));
});
