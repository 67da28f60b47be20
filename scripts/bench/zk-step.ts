/**
 * Cost of one proved SGD step per circuit shape: constraints, witness, Groth16 prove and verify time, proof size, and
 * the plain (unproved) step — the same BigInt arithmetic without a proof — as the peer measured in the same run.
 * Uses the zk cache ($PARZEN_ZK_CACHE or ~/.cache/parzen/zk), compiling and setting up what is missing.
 * Run: npx tsc -p tsconfig.json && node dist/scripts/bench/zk-step.js [--reps 5]
 */
import { zkCacheDir } from '../../src/subsystems/zk/artifacts/cache-dir.js';
import { ensureCircuit } from '../../src/subsystems/zk/artifacts/compile.js';
import { ensureGroth16Keys } from '../../src/subsystems/zk/artifacts/setup.js';
import type { CircuitShape } from '../../src/subsystems/zk/circuit/sgd-linear-circom.js';
import { loadHasher } from '../../src/subsystems/zk/commitments.js';
import { sgdStep, type StepData } from '../../src/subsystems/zk/sgd-reference.js';
import { proveStep, verifyStep } from '../../src/subsystems/zk/snark/prove.js';
import { releaseSnarkjs } from '../../src/subsystems/zk/snark/snarkjs.js';
import { groth16ProofBytes } from '../../src/subsystems/zk/session.js';
import { freshSalt, prepareStep } from '../../src/subsystems/zk/step.js';
import { Rng } from '../../src/util/rng.js';

const reps = Number(process.argv[process.argv.indexOf('--reps') + 1] ?? 5) || 5;
const SHAPES: CircuitShape[] = [
  { d: 2, batch: 2, fracBits: 16 },
  { d: 4, batch: 2, fracBits: 12 },
  { d: 4, batch: 4, fracBits: 16 },
];

function step(shape: CircuitShape, seed: number): StepData {
  const rng = new Rng(seed, 1);
  const fx = (): bigint => BigInt(Math.round(rng.uniform(-2, 2) * 2 ** shape.fracBits));
  return { w: Array.from({ length: shape.d + 1 }, fx), x: Array.from({ length: shape.batch }, () => Array.from({ length: shape.d }, fx)), y: Array.from({ length: shape.batch }, fx), lr: BigInt(2 ** (shape.fracBits - 3)) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hasher = await loadHasher();
console.log('| shape (d, batch, F) | constraints | witness ms | prove ms | verify ms | proof bytes | plain step µs | prove / plain |');
console.log('|---|---|---|---|---|---|---|---|');
for (const shape of SHAPES) {
  const keys = await ensureGroth16Keys(zkCacheDir(), await ensureCircuit(zkCacheDir(), shape, (m) => console.error(m)), (m) => console.error(m));
  const w: number[] = [], p: number[] = [], v: number[] = [], plain: number[] = [];
  let bytes = 0;
  for (let r = 0; r < reps; r++) {
    const data = step(shape, r);
    const t0 = performance.now();
    for (let k = 0; k < 100; k++) sgdStep(shape, data);
    plain.push(((performance.now() - t0) / 100) * 1000);
    const prepared = prepareStep({ shape, hasher, data, saltOld: freshSalt(), saltNew: freshSalt() });
    const proof = await proveStep(keys, prepared.input);
    const t1 = performance.now();
    if (!(await verifyStep(keys.vkey, proof.publicSignals, proof.proof))) throw new Error('proof did not verify');
    v.push(performance.now() - t1);
    w.push(proof.witnessMs);
    p.push(proof.proveMs);
    bytes = groth16ProofBytes(proof.proof);
  }
  const ratio = (median(w) + median(p)) / (median(plain) / 1000);
  console.log(`| ${shape.d}, ${shape.batch}, ${shape.fracBits} | ${keys.circuit.nConstraints} | ${median(w).toFixed(0)} | ${median(p).toFixed(0)} | ${median(v).toFixed(0)} | ${bytes} | ${median(plain).toFixed(1)} | ${ratio.toExponential(1)} |`);
}
await releaseSnarkjs();
