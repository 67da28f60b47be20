import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { float, int } from '../../src/space/distributions.js';

function messageOf(config: unknown): string {
  try {
    validateConfig(config, 'tuning.config.ts');
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.message;
  }
  return 'no error';
}

test('an inverted range names the parameter path and the fix', () => {
  const msg = messageOf({ subsystems: { optimizer: { space: { num_layers: int(8, 3) } } } });
  assert.equal(msg, 'subsystems.optimizer.space.num_layers: low 8 > high 3; swap them');
});

test('log scale with a non-positive low is refused with the field path', () => {
  assert.match(messageOf({ subsystems: { optimizer: { space: { lr: float(0, 1, { log: true }) } } } }), /^subsystems\.optimizer\.space\.lr: log scale needs low > 0/);
});

test('an unknown subsystem lists the available ones', () => {
  assert.match(messageOf({ subsystems: { retrieval2: {} } }), /subsystems\.retrieval2: unknown subsystem; available: optimizer/);
});

test('bad tuning budgets name their field', () => {
  assert.match(messageOf({ subsystems: { optimizer: { tuning: { epochs: 0 } } } }), /subsystems\.optimizer\.tuning\.epochs: expected a positive integer, got 0/);
  assert.match(messageOf({ subsystems: { optimizer: { tuning: { batchCap: 2.5 } } } }), /tuning\.batchCap/);
  assert.match(messageOf({ subsystems: { optimizer: { tuning: { sampler: 'cmaes' } } } }), /tuning\.sampler: expected one of tpe, gp, auto, random, qmc, grid/);
});

test('unknown top-level fields and empty spaces are refused', () => {
  assert.match(messageOf({ storage: 'sqlite:x.db', sotrage: 1 }), /^sotrage: unknown field/);
  assert.match(messageOf({ subsystems: { optimizer: { space: {} } } }), /space: the search space is empty/);
});

test('a valid config passes', () => {
  assert.equal(messageOf({ storage: 'sqlite:studies/t.db', subsystems: { optimizer: { tuning: { trials: 3, batchCap: null }, space: { x: float(0, 1) } } } }), 'no error');
});
