import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { searchParameters, type CircuitShape } from '../../src/lattice/param-search.js';

const good: CircuitShape = { multDepth: 3, nNodes: 250, nMults: 40 };

function rejects(shape: CircuitShape, field: string): void {
  assert.throws(
    () => searchParameters(shape),
    (e: unknown) => e instanceof ConfigError && e.message.includes(`\`${field}\``),
    `${JSON.stringify(shape)} should name ${field}`,
  );
}

test('counts must be non-negative integers and nodes at least one', () => {
  rejects({ ...good, multDepth: -1 }, 'multDepth');
  rejects({ ...good, multDepth: 2.5 }, 'multDepth');
  rejects({ ...good, nNodes: 0 }, 'nNodes');
  rejects({ ...good, nMults: Number.NaN }, 'nMults');
});

test('a depth larger than the number of multiplications is rejected', () => {
  rejects({ multDepth: 5, nNodes: 100, nMults: 3 }, 'nMults');
});

test('the security target must be positive and finite', () => {
  rejects({ ...good, targetBits: 0 }, 'targetBits');
  rejects({ ...good, targetBits: Number.POSITIVE_INFINITY }, 'targetBits');
});

test('a circuit too deep for any ring up to 2^17 says so and names the fix', () => {
  rejects({ multDepth: 200, nNodes: 400, nMults: 200 }, 'multDepth');
});
