/**
 * Benchmark of encrypted logistic regression (issue 11), in one run per dataset: key generation and encryption
 * time, time per encrypted Nesterov iteration (refresh included) beside the float64 twin's in the same process,
 * ciphertext and key sizes, WebAssembly memory, and encrypted-vs-plaintext test accuracy. Datasets: the shipped
 * WDBC training split (370 rows), and the same rows 4× (duplicated with N(0, 0.05²) noise) for timing.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/fhe-training.js [--iterations 8] [--n 16384] [--degree 3]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildDataset } from '../../src/subsystems/fhe/dataset/store.js';
import type { Split } from '../../src/subsystems/fhe/dataset/splits.js';
import { loadFheData } from '../../src/subsystems/fhe/engine.js';
import { scoreBinary } from '../../src/subsystems/fhe/metrics.js';
import { momentumWeights, plainIteration, signedRows, stepSize, type NesterovState } from '../../src/subsystems/fhe/nesterov.js';
import { EncryptedSession, releaseCachedSetup } from '../../src/subsystems/fhe/session.js';
import { fitSigmoid } from '../../src/subsystems/fhe/sigmoid.js';
import { Rng } from '../../src/util/rng.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ITERATIONS = arg('iterations', 8);
const N = arg('n', 16384);
const DEGREE = arg('degree', 3);
const HP = { lr: 1.5, bound: 12, featureScale: 0.3 };

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
  const rows = signedRows(train.x, train.y);
  const d = rows[0].length;
  const sigmoid = fitSigmoid(DEGREE, HP.bound);
  const eta = momentumWeights(ITERATIONS);
  const session = await EncryptedSession.start({ polyModulusDegree: N, scaleBits: 40, sigmoidDegree: DEGREE, rows, initialWeights: new Float64Array(d) });
  const enc: number[] = [];
  const plainTimes: number[] = [];
  let plain: NesterovState = { w: new Float64Array(d), v: new Float64Array(d) };
  for (let t = 0; t < ITERATIONS; t++) {
    const gamma = stepSize(HP.lr, 'decay', t, rows.length);
    const a = performance.now();
    session.step({ sigmoid, bound: HP.bound, gamma, eta: eta[t] });
    const b = performance.now();
    plain = plainIteration(rows, plain, { sigmoid, gamma, eta: eta[t] });
    plainTimes.push(performance.now() - b);
    enc.push(b - a);
  }
  const w = session.decryptWeights();
  const keys = session.keySizes;
  const out = {
    dataset: name,
    rows: rows.length,
    blocks: session.blocks,
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
    enc_test_accuracy: +scoreBinary(w, test.x, test.y).accuracy.toFixed(4),
    plain_test_accuracy: +scoreBinary(plain.w, test.x, test.y).accuracy.toFixed(4),
    max_abs_weight_diff: Math.max(...Array.from(w, (v, j) => Math.abs(v - plain.w[j]))),
  };
  session.delete();
  releaseCachedSetup();
  return out;
}

const root = mkdtempSync(join(tmpdir(), 'parzen-fhe-bench-'));
await buildDataset({ dir: join(root, 'fhe'), seed: 42 });
const data = loadFheData(root, HP.featureScale);
console.log(JSON.stringify({ n: N, degree: DEGREE, iterations: ITERATIONS, node: process.version, cpus: (await import('node:os')).cpus().length }));
for (const [name, train] of [['wdbc', data.train], ['wdbc×4 (noise)', enlarged(data.train, 4, 7)]] as const) {
  console.log(JSON.stringify(await run(name, train, data.test)));
}
