import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Without a BLAS the install still succeeds and training runs on wasm's own kernels: the build script skips
 * cleanly (simulated by pointing its detector at folders that do not exist), PARZEN_NATIVE=0 forces the wasm path,
 * and a bad PARZEN_NATIVE value or a required-but-missing addon is a clear usage error (exit 2), not a stack trace.
 */

const BIN = resolve('dist/src/cli/bin.js');
const ADDON = resolve('native/build/Release/parzen_blas.node');
/** The children see only the PARZEN_* variables each case sets, not the ones this test process runs under. */
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARZEN_')));
const run = (cmd: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, cmd, { encoding: 'utf8', env: { ...baseEnv, ...env }, timeout: 60_000 });

test('the native build skips cleanly, exit 0, when no BLAS header or library is found, and leaves any built addon alone', () => {
  const before = existsSync(ADDON);
  for (const [env, reason] of [
    [{ PARZEN_BLAS_INCLUDE: '/nonexistent/include' }, /skipped: no cblas\.h in \/nonexistent\/include \(install libopenblas-dev/],
    [{ PARZEN_BLAS_INCLUDE: '/usr/include', PARZEN_BLAS_LIB_DIR: '/nonexistent/lib' }, /skipped: (no cblas\.h|no libopenblas, libcblas or libblas in \/nonexistent\/lib)/],
    [{ PARZEN_NATIVE: '0' }, /skipped: PARZEN_NATIVE=0/],
  ] as const) {
    const r = run(['scripts/build-native.mjs'], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, reason);
    assert.match(r.stdout, /uses the wasm backend's matrix products/);
  }
  assert.equal(existsSync(ADDON), before);
});

test('tune doctor says which matrix products run and why, and rejects bad PARZEN_NATIVE values with exit 2', () => {
  const off = run([BIN, 'doctor', '--json'], { PARZEN_NATIVE: '0' });
  assert.equal(off.status, 0, off.stderr);
  assert.equal(JSON.parse(off.stdout).matmul, 'wasm (PARZEN_NATIVE=0)');
  assert.equal(JSON.parse(off.stdout).kernels, 'JS (no native addon)');
  const jsLoops = run([BIN, 'doctor', '--json'], { PARZEN_NATIVE_KERNELS: '0' });
  assert.equal(JSON.parse(jsLoops.stdout).kernels, 'JS (PARZEN_NATIVE_KERNELS=0)');
  const badKernels = run([BIN, 'doctor'], { PARZEN_NATIVE_KERNELS: 'on' });
  assert.equal(badKernels.status, 2);
  assert.match(badKernels.stderr, /PARZEN_NATIVE_KERNELS: expected 0 \(JS loops\) or 1/);
  const missing = run([BIN, 'doctor', '--json'], { PARZEN_NATIVE_ADDON: '/nonexistent/parzen_blas.node' });
  assert.equal(missing.status, 0, missing.stderr);
  assert.match(JSON.parse(missing.stdout).matmul, /^wasm \(no native addon at \/nonexistent\/parzen_blas\.node; install libopenblas-dev/);
  const required = run([BIN, 'doctor'], { PARZEN_NATIVE: '1', PARZEN_NATIVE_ADDON: '/nonexistent/parzen_blas.node' });
  assert.equal(required.status, 2);
  assert.match(required.stderr, /PARZEN_NATIVE=1 but no native addon at \/nonexistent\/parzen_blas\.node; install libopenblas-dev/);
  const bad = run([BIN, 'doctor'], { PARZEN_NATIVE: 'yes' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /PARZEN_NATIVE: expected 0 \(wasm only\) or 1 \(native required\), got 'yes'/);
  assert.doesNotMatch(bad.stderr + required.stderr, /\n\s+at /);
  const threads = run([BIN, 'doctor'], { PARZEN_NATIVE_THREADS: '0' });
  assert.equal(threads.status, existsSync(ADDON) ? 2 : 0);
});

test('with PARZEN_NATIVE=0 the wasm backend keeps its stock matrix products and training maths works', () => {
  const backend = pathToFileURL(resolve('dist/src/ml/backend.js')).href;
  const kernel = pathToFileURL(resolve('dist/src/ml/kernels/native-matmul.js')).href;
  const script = `
    const { initBackend } = await import(${JSON.stringify(backend)});
    const { nativeMatMulActive } = await import(${JSON.stringify(kernel)});
    const { tf, matmul } = await initBackend('wasm');
    const y = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 1, 1], [2, 2]), false, true).dataSync();
    console.log(JSON.stringify({ matmul, native: nativeMatMulActive(tf), y: Array.from(y) }));`;
  const r = run(['--input-type=module', '-e', script], { PARZEN_NATIVE: '0' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { matmul: string; native: boolean; y: number[] };
  assert.deepEqual(out, { matmul: 'wasm (PARZEN_NATIVE=0)', native: false, y: [1, 3, 3, 7] });
});
