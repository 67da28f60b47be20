/**
 * Generates the test-only powers of tau fixture, tests/subsystems/zk/fixtures/test-pow11.ptau (2^11 fits the test
 * circuits: d=2, batch 2). A test fixture only: it was made on one machine and proves nothing to anyone else.
 * Run: npx tsc -p tsconfig.json && node dist/scripts/zk/make-test-ptau.js
 */
import { generatePtau } from '../../src/subsystems/zk/snark/ptau.js';
import { releaseSnarkjs } from '../../src/subsystems/zk/snark/snarkjs.js';

const power = Number(process.argv[2] ?? 11);
const out = process.argv[3] ?? `tests/subsystems/zk/fixtures/test-pow${power}.ptau`;
const t0 = performance.now();
await generatePtau(out, power, (m) => console.error(m));
await releaseSnarkjs();
console.error(`wrote ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
