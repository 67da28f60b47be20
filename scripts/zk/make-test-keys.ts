/**
 * Copies the compiled test circuit (TEST_SHAPE: d=2, batch 2, F=16) and its Groth16 keys (made with the fixture
 * ptau) from the test cache into tests/subsystems/zk/fixtures/keys/, gzipped, so a zk test file on a fresh machine
 * starts warm instead of spending a minute compiling and setting up. Test-only keys from a local setup: they prove
 * nothing to anyone. Rerun after any change to the circuit source (a test says when the fixture is stale):
 *   npx tsc -p tsconfig.json && node dist/scripts/zk/make-test-keys.js
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { circuitKey } from '../../src/subsystems/zk/artifacts/compile.js';
import { releaseSnarkjs } from '../../src/subsystems/zk/snark/snarkjs.js';
import { TEST_SHAPE, testCacheDir, testKeys } from '../../tests/subsystems/zk/fixtures.js';

const KEEP = /^(info\.json|main\.r1cs|main\.sym|main\.wasm|circuit\.zkey|vkey\.json|setup\.json)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : KEEP.test(f) ? [join(dir, f)] : []));
}

await testKeys();
await releaseSnarkjs();
const key = circuitKey(TEST_SHAPE);
const src = join(testCacheDir(), 'circuits', key);
const out = join('tests', 'subsystems', 'zk', 'fixtures', 'keys');
rmSync(out, { recursive: true, force: true });
for (const f of files(src)) {
  const target = join(out, key, `${relative(src, f)}.gz`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, gzipSync(readFileSync(f), { level: 9 }));
}
console.error(`wrote ${join(out, key)}`);
