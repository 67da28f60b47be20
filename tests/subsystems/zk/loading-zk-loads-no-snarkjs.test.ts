import { test } from 'node:test';
import assert from 'node:assert/strict';

test('loading the zk subsystem (what tune --help does) imports neither snarkjs nor circomlibjs', async () => {
  const { loadSubsystem } = await import('../../../src/subsystems/registry.js');
  const zk = await loadSubsystem('zk');
  assert.equal(zk.commands?.[0]?.name, 'audit');
  // ffjavascript, under both, sets globalThis.curve_bn128 (to null) as soon as it is imported.
  assert.equal('curve_bn128' in globalThis, false);
});
