import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TPESampler } from '../../src/samplers/index.js';
import { intersectionSearchSpace } from '../../src/samplers/tpe/search-space.js';
import { float, int } from '../../src/space/distributions.js';
import { frozenTrial } from './fixtures.js';

test('the joint search space holds the params every finished trial has with one distribution', () => {
  const x = float(0, 1);
  const trials = [
    frozenTrial({ number: 0, distributions: { x, y: int(1, 5), z: float(0, 2), k: int(3, 3) }, params: { x: 0.5, y: 2, z: 1, k: 3 } }),
    frozenTrial({ number: 1, state: 'PRUNED', distributions: { x, y: int(1, 6), z: float(0, 2), k: int(3, 3) }, params: { x: 0.1, y: 6, z: 0, k: 3 } }),
    frozenTrial({ number: 2, state: 'FAIL', distributions: { x }, params: { x: 0.2 } }),
    frozenTrial({ number: 3, state: 'RUNNING', distributions: { x }, params: { x: 0.2 } }),
  ];
  // y changed range, k is single-valued, and FAIL/RUNNING trials do not narrow the space.
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials)), ['x', 'z']);
  assert.deepEqual(new TPESampler({ multivariate: true }).inferRelativeSearchSpace({ direction: 'minimize', trials }), { x, z: float(0, 2) });
  assert.deepEqual(new TPESampler({ multivariate: false }).inferRelativeSearchSpace({ direction: 'minimize', trials }), {});
});
