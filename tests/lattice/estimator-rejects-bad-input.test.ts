import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { estimateLwe, type LweParameters } from '../../src/lattice/primal-usvp.js';

const good: LweParameters = { n: 1024, logQ: 27, sigma: 3.2 };

function rejects(p: LweParameters, field: string): void {
  assert.throws(
    () => estimateLwe(p),
    (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_INVALID' && e.message.includes(`\`${field}\``),
    `${JSON.stringify(p)} should name ${field}`,
  );
}

test('n must be a positive integer', () => {
  rejects({ ...good, n: 0 }, 'n');
  rejects({ ...good, n: -8 }, 'n');
  rejects({ ...good, n: 10.5 }, 'n');
  rejects({ ...good, n: Number.NaN }, 'n');
});

test('q must exceed 1, so logQ must be positive and finite', () => {
  rejects({ ...good, logQ: 0 }, 'logQ');
  rejects({ ...good, logQ: -3 }, 'logQ');
  rejects({ ...good, logQ: Number.POSITIVE_INFINITY }, 'logQ');
});

test('sigma must be positive and finite', () => {
  rejects({ ...good, sigma: 0 }, 'sigma');
  rejects({ ...good, sigma: -1 }, 'sigma');
  rejects({ ...good, sigma: Number.NaN }, 'sigma');
});

test('samples, secret and cost model are checked when given', () => {
  rejects({ ...good, m: 0 }, 'm');
  rejects({ ...good, m: 3.5 }, 'm');
  rejects({ ...good, secret: 'uniform' as unknown as 'ternary' }, 'secret');
  rejects({ ...good, costModel: 'gates' as unknown as 'core-svp' }, 'costModel');
});

test('a modulus too small for a unique short vector gives an infinite cost, not an error', () => {
  const e = estimateLwe({ n: 1024, logQ: 2, sigma: 3.2 });
  assert.equal(e.blockSize, Infinity);
  assert.equal(e.classicalBits, Infinity);
});
