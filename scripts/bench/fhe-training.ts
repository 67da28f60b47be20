/**
 * Benchmark of encrypted training (issue 11), in one run per dataset: key generation and encryption time, time per
 * encrypted Nesterov iteration (refresh included) beside the float64 twin's in the same process, ciphertext and key
 * sizes, WebAssembly memory, and encrypted-vs-plaintext test accuracy. Datasets: the shipped WDBC training split
 * (370 rows), and the same rows 4× (duplicated with N(0, 0.05²) noise) for timing. Either model:
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/fhe-training.js [--iterations 8] [--n 16384] [--degree 3]
 *     [--scale 40] [--model logistic|poly-network] [--hidden 2] [--lr 1.5] [--datasets wdbc,wdbcx4]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildDataset } from '../../src/subsystems/fhe/dataset/store.js';
import type { Split } from '../../src/subsystems/fhe/dataset/splits.js';
import { loadFheData } from '../../src/subsystems/fhe/engine.js';
import { parseFheHyperparams } from '../../src/subsystems/fhe/hyperparams.js';
import { startModelRun } from '../../src/subsystems/fhe/model-run.js';
import { momentumWeights, stepSize } from '../../src/subsystems/fhe/nesterov.js';
import { releaseCachedSetup } from '../../src/subsystems/fhe/setup-cache.js';
import { fitSigmoid } from '../../src/subsystems/fhe/sigmoid.js';
import { Rng } from '../../src/util/rng.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const ITERATIONS = Number(arg('iterations', '8'));
const MODEL = arg('model', 'logistic');
const HP = parseFheHyperparams({
  model: MODEL,
  hidden_width: Number(arg('hidden', '2')),
  learning_rate: Number(arg('lr', MODEL === 'logistic' ? '1.5' : '0.8')),
  lr_schedule: 'decay',
  iterations: ITERATIONS,
  sigmoid_degree: Number(arg('degree', '3')),
  sigmoid_bound: 12,
  feature_scale: Number(arg('feature-scale', MODEL === 'logistic' ? '0.3' : '0.2')),
  poly_modulus_degree: Number(arg('n', '16384')),
  scale_bits: Number(arg('scale', MODEL === 'logistic' ? '40' : '36')),
});
const DATASETS = arg('datasets', 'wdbc,wdbcx4').split(',');

function enlarged(s: Split, times: number, seed: number): Split {
  const rng = new Rng(seed);
  const x: Float64Array[] = [];
  const y: number[] = [];
  for (let k = 0; k < times; k++) s.x.forEach((row, i) => {
    x.push(k === 0 ? row : row.map((v) => v + 0.05 * rng.normal()));
    y.push(s.y[i]);
  });
  return { x, y: Uint8Array.from(y) };
}

const wasmMb = (): number => (process.memoryUsage().external - process.memoryUsage().arrayBuffers) / 2 ** 20;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(name: string, train: Split, test: Split): Promise<Record<string, string | number>> {
  const sigmoid = fitSigmoid(HP.sigmoidDegree, HP.sigmoidBound);
  const eta = momentumWeights(ITERATIONS);
  const modelRun = await startModelRun(HP, train, 42);
  const session = modelRun.encrypted;
  const enc: number[] = [];
  const plainTimes: number[] = [];
  for (let t = 0; t < ITERATIONS; t++) {
    const input = { sigmoid, bound: HP.sigmoidBound, gamma: stepSize(HP.learningRate, 'decay', t, train.y.length), eta: eta[t] };
    const a = performance.now();
    session.step(input);
    const b = performance.now();
    modelRun.plain.step(input);
    plainTimes.push(performance.now() - b);
    enc.push(b - a);
  }
  const w = session.decrypt();
  const plainW = modelRun.plain.params();
  const keys = session.keySizes;
  const out = {
    dataset: name,
    rows: train.y.length,
    blocks: session.blocks,
    levels: HP.ckks.levels,
    levels_per_iteration: session.depth,
    keygen_s: +session.setupSeconds.keygen.toFixed(2),
    encrypt_rows_s: +session.setupSeconds.encrypt.toFixed(3),
    enc_iteration_s_median: +(median(enc) / 1000).toFixed(3),
    plain_iteration_ms_median: +median(plainTimes).toFixed(3),
    ratio_enc_over_plain: Math.round(median(enc) / median(plainTimes)),
    refreshes: session.refreshStats.refreshes,
    refresh_mb_moved: +((session.refreshStats.bytesToOwner + session.refreshStats.bytesToServer) / 2 ** 20).toFixed(1),
    ciphertext_kb: Math.round(session.ciphertextBytes / 1024),
    public_key_kb: Math.round(keys.publicKey / 1024),
    relin_keys_mb: +(keys.relinKeys / 2 ** 20).toFixed(1),
    galois_keys_mb: +(keys.galoisKeys / 2 ** 20).toFixed(1),
    wasm_heap_mb: Math.round(wasmMb()),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    enc_test_accuracy: +modelRun.score(w, test).accuracy.toFixed(4),
    plain_test_accuracy: +modelRun.score(plainW, test).accuracy.toFixed(4),
    enc_test_auc: +modelRun.score(w, test).auc.toFixed(4),
    plain_test_auc: +modelRun.score(plainW, test).auc.toFixed(4),
    max_abs_weight_diff: Math.max(...Array.from(w, (v, j) => Math.abs(v - plainW[j]))),
  };
  session.delete();
  releaseCachedSetup();
  return out;
}

const root = mkdtempSync(join(tmpdir(), 'parzen-fhe-bench-'));
await buildDataset({ dir: join(root, 'fhe'), seed: 42 });
const data = loadFheData(root, HP.featureScale);
const os = await import('node:os');
console.log(JSON.stringify({
  model: HP.model, hidden: HP.model === 'logistic' ? null : HP.hiddenWidth, n: HP.ckks.polyModulusDegree, scale_bits: HP.ckks.scaleBits,
  chain: HP.ckks.coeffModulusBits.join(','), degree: HP.sigmoidDegree, lr: HP.learningRate, feature_scale: HP.featureScale,
  iterations: ITERATIONS, node: process.version, cpus: os.cpus().length, load_average: os.loadavg().map((v) => +v.toFixed(1)),
}));
const sets: Record<string, () => Split> = { wdbc: () => data.train, wdbcx4: () => enlarged(data.train, 4, 7) };
for (const name of DATASETS) {
  const make = sets[name];
  if (make === undefined) throw new Error(`--datasets: unknown ${name}; use wdbc and/or wdbcx4`);
  console.log(JSON.stringify(await run(name === 'wdbc' ? 'wdbc' : 'wdbc×4 (noise)', make(), data.test)));
}
console.log(JSON.stringify({ load_average_after: os.loadavg().map((v) => +v.toFixed(1)) }));
