import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, FheError } from '../../../src/errors.js';
import { add, levelOf, modSwitchTo, multiply, multiplyPlain } from '../../../src/subsystems/fhe/ckks/ops.js';
import { checkKeyMemory, deriveCkksParams, galoisKeyBytes, iterationDepth, networkIterationDepth } from '../../../src/subsystems/fhe/ckks/params.js';
import { loadSeal } from '../../../src/subsystems/fhe/ckks/seal.js';
import { networkPacking } from '../../../src/subsystems/fhe/ckks/network-packing.js';
import { allRotationSteps, packBlocks, packing } from '../../../src/subsystems/fhe/ckks/packing.js';
import { DataOwner } from '../../../src/subsystems/fhe/owner/data-owner.js';
import { TrainingServer } from '../../../src/subsystems/fhe/server/training-server.js';
import { fitSigmoid } from '../../../src/subsystems/fhe/sigmoid.js';

test('parameters are derived from the depth: whole iterations of the chain SEAL allows (N=16384 at 40 bits: 8 fit, 6 kept), within the 128-bit limit', () => {
  const a = deriveCkksParams({ polyModulusDegree: 16384, scaleBits: 40, depthPerIteration: iterationDepth(3) });
  assert.deepEqual([a.levels, a.depthPerIteration, a.iterationsPerRefresh, a.coeffModulusBits[0], a.coeffModulusBits.length], [6, 6, 1, 50, 8]);
  assert.ok(a.totalBits <= 438);
  const b = deriveCkksParams({ polyModulusDegree: 32768, scaleBits: 40, depthPerIteration: iterationDepth(7) });
  assert.deepEqual([b.levels, b.depthPerIteration, b.iterationsPerRefresh], [16, 8, 2], '19 levels fit: two iterations of 8');
  const net = deriveCkksParams({ polyModulusDegree: 16384, scaleBits: 32, depthPerIteration: networkIterationDepth(7) });
  assert.deepEqual([net.levels, net.iterationsPerRefresh, net.totalBits <= 438], [11, 1, true]);
  assert.throws(
    () => deriveCkksParams({ polyModulusDegree: 16384, scaleBits: 36, depthPerIteration: networkIterationDepth(5) }),
    (e: unknown) => e instanceof ConfigError && e.message.startsWith('poly_modulus_degree:') && e.message.includes('depth 10'),
    'the poly-network of degree 5 needs 10 levels; a 36-bit scale leaves 9',
  );
});

test('a chain too short for one iteration or a bad parameter is a ConfigError naming it', () => {
  const named = (key: string) => (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${key}:`);
  assert.throws(() => deriveCkksParams({ polyModulusDegree: 8192, scaleBits: 40, depthPerIteration: 6 }), named('poly_modulus_degree'));
  assert.throws(() => deriveCkksParams({ polyModulusDegree: 12288, scaleBits: 40, depthPerIteration: 6 }), named('poly_modulus_degree'));
  assert.throws(() => deriveCkksParams({ polyModulusDegree: 16384, scaleBits: 55, depthPerIteration: 6 }), named('scale_bits'));
  assert.throws(() => deriveCkksParams({ polyModulusDegree: 16384, scaleBits: 40, depthPerIteration: 6, maxBitCount: () => 300 }), named('poly_modulus_degree'));
});

test('Galois keys are sized before key generation: N=16384 fits (405 MiB measured), N=32768 at 40 bits is refused naming the parameter', () => {
  // Measured with the full 8-level chain (before chains were cut to whole iterations).
  const small = { ...deriveCkksParams({ polyModulusDegree: 16384, scaleBits: 40, depthPerIteration: 6 }), levels: 8 };
  const mib = galoisKeyBytes(small, 18) / 2 ** 20;
  assert.ok(Math.abs(mib - 405) / 405 < 0.06, `${mib} MiB`);
  checkKeyMemory(small, 18);
  const big = deriveCkksParams({ polyModulusDegree: 32768, scaleBits: 40, depthPerIteration: 6 });
  assert.throws(() => checkKeyMemory(big, 19), (e: unknown) => e instanceof ConfigError && e.message.startsWith('poly_modulus_degree:') && e.message.includes('GiB'));
});

test('a level or scale mismatch is an FheError naming the operation, raised before SEAL runs it', async () => {
  const seal = await loadSeal();
  const owner = DataOwner.create(seal, deriveCkksParams({ polyModulusDegree: 8192, scaleBits: 24, depthPerIteration: 6 }), []);
  const k = owner.context;
  const relin = owner.serverKeys.relinKeys;
  const a = owner.encrypt(new Float64Array(k.slots).fill(0.5));
  const b = owner.encrypt(new Float64Array(k.slots).fill(0.25));
  const deeper = multiplyPlain(k, 'setup', b, 2, k.scale);
  const offScale = multiplyPlain(k, 'setup', a, 2, k.scale * 1.5);
  const aDown = modSwitchTo(k, 'setup', a, 1);
  try {
    assert.equal(levelOf(k, deeper), 1);
    assert.throws(() => add(k, 'w = v + G', a, deeper), (e: unknown) => e instanceof FheError && e.code === 'FHE_LEVEL' && e.message.startsWith('w = v + G:'));
    assert.throws(() => multiply(k, 'z·v', a, deeper, relin), (e: unknown) => e instanceof FheError && e.code === 'FHE_LEVEL' && e.message.startsWith('z·v:'));
    assert.throws(() => add(k, 'momentum mix', aDown, offScale), (e: unknown) => e instanceof FheError && e.code === 'FHE_SCALE' && e.message.startsWith('momentum mix:'));
    assert.throws(() => modSwitchTo(k, 'align', deeper, 0), (e: unknown) => e instanceof FheError && e.code === 'FHE_LEVEL');
    const sum = add(k, 'ok', aDown, deeper);
    const values = owner.decrypt(sum);
    assert.ok(Math.abs(values[0] - 1) < 1e-3, `0.5 + 2·0.25 decrypted as ${values[0]}`);
    sum.delete();
  } finally {
    for (const c of [a, b, deeper, offScale, aDown]) c.delete();
    owner.delete();
  }
});

test('the last level refuses another multiplication with an FheError', async () => {
  const seal = await loadSeal();
  const owner = DataOwner.create(seal, deriveCkksParams({ polyModulusDegree: 8192, scaleBits: 24, depthPerIteration: 6 }), []);
  const k = owner.context;
  const a = owner.encrypt(new Float64Array(k.slots).fill(0.5));
  const last = modSwitchTo(k, 'setup', a, k.params.levels);
  try {
    assert.throws(() => multiplyPlain(k, 'row-start mask', last, 1, k.scale), (e: unknown) => e instanceof FheError && e.code === 'FHE_LEVEL' && e.message.includes('refresh'));
  } finally {
    a.delete();
    last.delete();
    owner.delete();
  }
});

test('the server handed an exhausted state (no refresh) stops with an FheError naming its first operation, not a WebAssembly abort', async () => {
  const seal = await loadSeal();
  const p = packing(4096, 8);
  const owner = DataOwner.create(seal, deriveCkksParams({ polyModulusDegree: 8192, scaleBits: 24, depthPerIteration: iterationDepth(3) }), allRotationSteps(p));
  const rows = Array.from({ length: 20 }, (_, i) => Float64Array.from({ length: 8 }, (_, j) => Math.cos(i + j) * 0.5));
  const server = new TrainingServer(owner.context, owner.serverKeys, packBlocks(p, rows).map((b) => owner.encrypt(b)), p);
  const start = { w: owner.encrypt(new Float64Array(0)), v: owner.encrypt(new Float64Array(0)) };
  const input = { sigmoid: fitSigmoid(3, 8), bound: 8, gamma: 0.01, eta: 0 };
  const once = server.iterate(start, input);
  try {
    assert.equal(server.canIterate(once, iterationDepth(3)), false);
    assert.throws(() => server.iterate(once, input), (e: unknown) => e instanceof FheError && e.code === 'FHE_LEVEL' && /^z·v|^[^:]+: the ciphertext is at the last level/.test(e.message));
  } finally {
    for (const c of [start.w, start.v, once.w, once.v]) c.delete();
    server.delete();
    owner.delete();
  }
});

test('rows too wide for the ring are a ConfigError naming poly_modulus_degree; 1023 features (the CSV limit) fit at N = 16384 for both models', () => {
  const named = (e: unknown): boolean => e instanceof ConfigError && e.message.startsWith('poly_modulus_degree:') && e.message.includes('fewer features');
  assert.throws(() => packing(2048, 1024 + 1), named);
  assert.throws(() => networkPacking(4096, 1024, 4), named);
  assert.equal(packing(8192, 1024).rowsPerBlock, 8);
  assert.equal(networkPacking(8192, 1024, 4).rowsPerBlock, 2);
});
