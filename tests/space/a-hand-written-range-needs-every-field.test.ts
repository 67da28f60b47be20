import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { float, int, validateSpace } from '../../src/space/distributions.js';

const refused = (pattern: RegExp) => (e: unknown): boolean => e instanceof ConfigError && e.code === 'SPACE_INVALID' && pattern.test(e.message);

test('a range written by hand without log or step is refused with the float()/int() call that makes it', () => {
  // Regression: `step: undefined` passed as "stepped", and every sampler put x on a grid of undefined: x = NaN.
  assert.throws(
    () => validateSpace('obj.ts: space', { x: { kind: 'float', low: 0, high: 1 } }),
    refused(/^obj\.ts: space\.x: log is missing; make the distribution with float\(0, 1\) from 'parzen' .*log: false, step: null/),
  );
  assert.throws(() => validateSpace('s', { n: { kind: 'int', low: 1, high: 4, log: false } }), refused(/s\.n: step is missing; .*int\(1, 4\).*step: 1/));
  assert.throws(() => validateSpace('s', { lr: { kind: 'float', low: 1e-4, high: 1, log: 'yes', step: null } }), refused(/s\.lr: log is "yes"/));
  assert.throws(() => validateSpace('s', { lr: { kind: 'float', low: 1e-4, high: 1, log: true } }), refused(/step is missing; make the distribution with float\(0\.0001, 1, \{ log: true \}\)/));
});

test('a complete hand-written range, and every DSL-made one, is accepted', () => {
  validateSpace('s', { x: { kind: 'float', low: 0, high: 1, log: false, step: null }, n: { kind: 'int', low: 1, high: 4, log: false, step: 1 } });
  validateSpace('s', { x: float(0, 1), y: float(0, 1, { step: 0.25 }), lr: float(1e-5, 1, { log: true }), n: int(1, 9, { step: 2 }), b: int(16, 256, { log: true }) });
});
