/**
 * Generates the test-only powers of tau fixture, tests/subsystems/zk/fixtures/test-pow12.ptau (2^12 fits the test
 * circuits: d=2, batch 2 for Groth16, and the 3,940-gate PLONK test circuit). A test fixture only: it was made on one
 * machine and proves nothing to anyone else. A prepared ptau of a higher power can also be cut down to it
 * (`npx snarkjs powersoftau truncate big.ptau out` writes out01.ptau … for every lower power).
 * Run: npx tsc -p tsconfig.json && node dist/scripts/zk/make-test-ptau.js [power] [out]
 */
import { generatePtau } from '../../src/subsystems/zk/snark/ptau.js';
import { releaseSnarkjs } from '../../src/subsystems/zk/snark/snarkjs.js';

const power = Number(process.argv[2] ?? 12);
const out = process.argv[3] ?? `tests/subsystems/zk/fixtures/test-pow${power}.ptau`;
const t0 = performance.now();
await generatePtau(out, power, (m) => console.error(m));
await releaseSnarkjs();
console.error(`wrote ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
