/**
 * Cost of one proved SGD step per circuit shape and proof system: constraints (Groth16: R1CS after --O2; PLONK:
 * gates after --O1), witness, prove and verify time, proof size, and the plain (unproved) step — the same BigInt
 * arithmetic without a proof — as the peer measured in the same run.
 * Uses the zk cache ($PARZEN_ZK_CACHE or ~/.cache/parzen/zk), compiling and setting up what is missing.
 * PLONK uses only the ptau files already in the cache (a circuit that needs more is reported, not set up).
 * Run: npx tsc -p tsconfig.json && node dist/scripts/bench/zk-step.js [--reps 5] [--systems groth16,plonk] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zkCacheDir } from '../../src/subsystems/zk/artifacts/cache-dir.js';
import { ensureCircuit } from '../../src/subsystems/zk/artifacts/compile.js';
import { ensureKeys, ensurePlonkKeys, type CircuitKeys, type ProofSystem } from '../../src/subsystems/zk/artifacts/setup.js';
import { ArtifactsNotFoundError } from '../../src/subsystems/zk/errors.js';
import { shapeLabel, type CircuitShape } from '../../src/subsystems/zk/circuit/shapes.js';
import { loadHasher, weightCommitment } from '../../src/subsystems/zk/commitments.js';
import { fullModel, loraModel, type StepModel } from '../../src/subsystems/zk/model.js';
import { proofBytes, proveStep, verifyStep } from '../../src/subsystems/zk/snark/prove.js';
import { releaseSnarkjs } from '../../src/subsystems/zk/snark/snarkjs.js';
import { freshSalt, prepareStep } from '../../src/subsystems/zk/step.js';
import { Rng } from '../../src/util/rng.js';

const arg = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const reps = Number(arg('--reps') ?? 5) || 5;
const systems = (arg('--systems') ?? 'groth16,plonk').split(',') as ProofSystem[];
const json = process.argv.includes('--json');
const base = { d: 4, batch: 4, fracBits: 16, rank: 0 } as const;
const SHAPES: CircuitShape[] = [
  { ...base, model: 'linear', batch: 2, fracBits: 12 },
  { ...base, model: 'linear' },
  { ...base, model: 'logistic' },
  { ...base, model: 'lora', rank: 1 },
];

const hasher = await loadHasher();
const log = (m: string): void => console.error(m);

function modelOf(shape: CircuitShape): StepModel {
  if (shape.model !== 'lora') return fullModel(shape);
  const weights = Array.from({ length: shape.d + 1 }, (_, j) => BigInt(j) << BigInt(shape.fracBits - 2));
  const salt = freshSalt();
  return loraModel(shape, { weights, salt, commitment: weightCommitment(hasher, weights, salt) });
}

function step(shape: CircuitShape, seed: number) {
  const rng = new Rng(seed, 1);
  const fx = (lo = -2, hi = 2): bigint => BigInt(Math.round(rng.uniform(lo, hi) * 2 ** shape.fracBits));
  const n = shape.model === 'lora' ? shape.rank * (shape.d + 1) : shape.d + 1;
  const y = (): bigint => (shape.model === 'logistic' ? BigInt(rng.uniform(0, 1) < 0.5 ? 0 : 1) << BigInt(shape.fracBits) : fx());
  return { params: Array.from({ length: n }, () => fx()), batch: { x: Array.from({ length: shape.batch }, () => Array.from({ length: shape.d }, () => fx())), y: Array.from({ length: shape.batch }, y) }, lr: BigInt(2 ** (shape.fracBits - 3)) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Record<string, unknown>[] = [];
if (!json) {
  console.log('| circuit | system | constraints | witness ms | prove ms | verify ms | proof bytes | plain step µs | (witness + prove) / plain |');
  console.log('|---|---|---|---|---|---|---|---|---|');
}
for (const shape of SHAPES) {
  const model = modelOf(shape);
  for (const system of systems) {
    let keys: CircuitKeys;
    try {
      // PLONK with the ptau at hand only: a bigger one takes tens of minutes to generate here.
      keys = system === 'plonk' ? await ensurePlonkKeys(zkCacheDir(), await ensureCircuit(zkCacheDir(), shape, log, 'O1'), log, { generatePtau: false }) : await ensureKeys(zkCacheDir(), shape, system, log);
    } catch (e) {
      if (!(e instanceof ArtifactsNotFoundError)) throw e;
      console.error(`skipped ${shapeLabel(shape)} ${system}: ${e.message}`);
      if (!json) console.log(`| ${shapeLabel(shape)} | ${system} | (needs a larger ptau) | | | | | | |`);
      continue;
    }
    const setup = JSON.parse(readFileSync(join(keys.zkey, '..', 'setup.json'), 'utf8')) as { gates?: number };
    const size = system === 'plonk' ? (setup.gates ?? NaN) : keys.circuit.nConstraints;
    const w: number[] = [], p: number[] = [], v: number[] = [], plain: number[] = [];
    let bytes = 0;
    for (let r = 0; r < reps; r++) {
      const data = step(shape, r);
      const t0 = performance.now();
      for (let k = 0; k < 100; k++) model.step(data.params, data.batch, data.lr);
      plain.push(((performance.now() - t0) / 100) * 1000);
      const prepared = prepareStep({ model, hasher, ...data, saltOld: freshSalt(), saltNew: freshSalt() });
      const proof = await proveStep(keys, prepared.input);
      const t1 = performance.now();
      if (!(await verifyStep(keys.vkey, proof.publicSignals, proof.proof))) throw new Error(`${shapeLabel(shape)} ${system}: proof did not verify`);
      v.push(performance.now() - t1);
      w.push(proof.witnessMs);
      p.push(proof.proveMs);
      bytes = proofBytes(proof.proof);
    }
    const ratio = (median(w) + median(p)) / (median(plain) / 1000);
    const row = { circuit: shapeLabel(shape), system, constraints: size, ptauPower: keys.ptau.power, witnessMs: median(w), proveMs: median(p), verifyMs: median(v), proofBytes: bytes, plainStepUs: median(plain), overhead: ratio };
    rows.push(row);
    if (!json) console.log(`| ${row.circuit} | ${system} | ${size} | ${row.witnessMs.toFixed(0)} | ${row.proveMs.toFixed(0)} | ${row.verifyMs.toFixed(0)} | ${bytes} | ${row.plainStepUs.toFixed(1)} | ${ratio.toExponential(1)} |`);
  }
}
if (json) console.log(JSON.stringify(rows, null, 1));
await releaseSnarkjs();
