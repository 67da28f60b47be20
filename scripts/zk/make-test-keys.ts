/**
 * Copies the compiled test circuits (FIXTURE_CIRCUITS in tests/subsystems/zk/fixtures.ts: linear, logistic and LoRA
 * at d=2, batch 2, F=16, and the single-feature PLONK test circuit) and their Groth16 keys (made with the fixture ptau; PLONK keys, 7 MB even gzipped, are set up by the tests) from
 * the test cache into tests/subsystems/zk/fixtures/keys/, gzipped, so a zk test file on a fresh machine starts warm
 * instead of spending minutes compiling and setting up. Test-only keys from a local setup: they prove nothing to
 * anyone. Rerun after any change to a circuit source (a test says when the fixture is stale):
 *   npx tsc -p tsconfig.json && node dist/scripts/zk/make-test-keys.js
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { circuitKey } from '../../src/subsystems/zk/artifacts/compile.js';
import { releaseSnarkjs } from '../../src/subsystems/zk/snark/snarkjs.js';
import { FIXTURE_CIRCUITS, testCacheDir, testKeys } from '../../tests/subsystems/zk/fixtures.js';

const KEEP = /^(info\.json|main\.r1cs|main\.sym|main\.wasm|circuit\.zkey|vkey\.json|setup\.json)$/;

/** PLONK's proving key of even the smallest circuit is 7 MB gzipped; its setup takes ~13 s, so tests make it. */
const SKIP_DIR = /^plonk-/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    if (statSync(join(dir, f)).isDirectory()) return SKIP_DIR.test(f) ? [] : files(join(dir, f));
    return KEEP.test(f) ? [join(dir, f)] : [];
  });
}

const out = join('tests', 'subsystems', 'zk', 'fixtures', 'keys');
rmSync(out, { recursive: true, force: true });
for (const [shape, system] of FIXTURE_CIRCUITS) {
  await testKeys(shape, system);
  const key = circuitKey(shape, system === 'plonk' ? 'O1' : 'O2');
  const src = join(testCacheDir(), 'circuits', key);
  for (const f of files(src)) {
    const target = join(out, key, `${relative(src, f)}.gz`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, gzipSync(readFileSync(f), { level: 9 }));
  }
  console.error(`wrote ${join(out, key)}`);
}
await releaseSnarkjs();
