import { test } from 'node:test';
import assert from 'node:assert/strict';

// tfjs-core registers its engine on the global object when it is first imported.
const engineLoaded = (): boolean => '_tfengine' in globalThis;

test('loading every registered subsystem (what tune --help does) imports no TensorFlow.js', async () => {
  const { loadSubsystem, subsystemNames } = await import('../../src/subsystems/registry.js');
  const subs = await Promise.all(subsystemNames().map((n) => loadSubsystem(n)));
  assert.ok(subs.length >= 1);
  for (const s of subs) assert.ok(s.datasets.prepare !== undefined && typeof s.objective === 'function');
  assert.equal(engineLoaded(), false, 'a subsystem module must import its engine lazily, inside a trial');
});
