import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { initBackend } from '../../src/ml/backend.js';

test('auto picks wasm when no native binding is installed', async () => {
  const rt = await initBackend('auto');
  assert.equal(rt.backend, 'wasm');
  assert.equal(rt.tf.getBackend(), 'wasm');
  assert.equal((await rt.tf.tensor1d([1, 2, 3]).sum().data())[0], 6);
});

test('initBackend is idempotent for the same choice', async () => {
  const a = await initBackend('wasm');
  const b = await initBackend('wasm');
  assert.equal(a, b);
});

test('tensorflow fails with a ConfigError that says how to install it', async () => {
  await assert.rejects(initBackend('tensorflow'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.code, 'USAGE');
    assert.match(e.message, /npm install @tensorflow\/tfjs-node/);
    assert.match(e.message, /--backend wasm/);
    return true;
  });
});

test('cpu can be chosen explicitly and computes', async () => {
  const rt = await initBackend('cpu');
  assert.equal(rt.backend, 'cpu');
  const m = rt.tf.matMul(rt.tf.tensor2d([[1, 2]]), rt.tf.tensor2d([[3], [4]]));
  assert.deepEqual(Array.from(await m.data()), [11]);
});

test('an unknown backend name is rejected naming the choices', async () => {
  await assert.rejects(initBackend('gpu' as 'auto'), /unknown choice 'gpu'.*auto, tensorflow, wasm, cpu/);
});
