import { test } from 'node:test';
import assert from 'node:assert/strict';

// tfjs-core registers its engine on the global object when it is first imported.
const engineLoaded = (): boolean => '_tfengine' in globalThis;

test('importing src/ml loads no TensorFlow.js until initBackend runs', async () => {
  const ml = await import('../../src/ml/index.js');
  assert.equal(engineLoaded(), false, 'importing the ml runtime must stay cheap (tune --help)');
  await ml.initBackend('wasm');
  assert.equal(engineLoaded(), true);
});
