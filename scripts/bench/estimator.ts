/**
 * Benchmark of the lattice estimator: (a) estimateLwe against a Python peer that searches the same model the
 * way the published Kyber/FrodoKEM scripts do (every block size, every m), on published parameter sets, in
 * one run — agreement of block sizes and the time ratio; (b) searchParameters throughput for dataset
 * labelling, cold (first call per circuit shape) and warm (memoised), in circuits per minute.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/estimator.js
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { estimateLwe, type LweParameters } from '../../src/lattice/primal-usvp.js';
import { searchParameters } from '../../src/lattice/param-search.js';
import { Rng } from '../../src/util/rng.js';

type Instance = Required<Pick<LweParameters, 'n' | 'logQ' | 'sigma' | 'm' | 'secret'>> & { name: string };

const L = Math.log2;
const instances: Instance[] = [
  { name: 'Kyber-512', n: 512, logQ: L(3329), sigma: Math.sqrt(1.5), m: 768, secret: 'gaussian' },
  { name: 'Kyber-768', n: 768, logQ: L(3329), sigma: 1, m: 1024, secret: 'gaussian' },
  { name: 'Kyber-1024', n: 1024, logQ: L(3329), sigma: 1, m: 1280, secret: 'gaussian' },
  { name: 'NewHope-1024', n: 1024, logQ: L(12289), sigma: Math.sqrt(8), m: 2048, secret: 'gaussian' },
  { name: 'FrodoKEM-640', n: 640, logQ: 15, sigma: 2.8, m: 648, secret: 'gaussian' },
  { name: 'FrodoKEM-976', n: 976, logQ: 16, sigma: 2.3, m: 984, secret: 'gaussian' },
  { name: 'FrodoKEM-1344', n: 1344, logQ: 16, sigma: 1.4, m: 1352, secret: 'gaussian' },
  { name: 'HE-1024/27', n: 1024, logQ: 27, sigma: 3.2, m: 2048, secret: 'ternary' },
  { name: 'HE-2048/54', n: 2048, logQ: 54, sigma: 3.2, m: 4096, secret: 'ternary' },
  { name: 'HE-4096/109', n: 4096, logQ: 109, sigma: 3.2, m: 8192, secret: 'ternary' },
];

/** Median over 7 batches of `reps` calls (the machine is shared, so single batches are noisy). */
function timeOurs(inst: Instance, reps: number): { blockSize: number; samples: number; seconds: number } {
  let e = estimateLwe(inst);
  const batches: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) e = estimateLwe(inst);
    batches.push((performance.now() - t0) / 1000 / reps);
  }
  batches.sort((a, b) => a - b);
  return { blockSize: e.blockSize, samples: e.samples, seconds: batches[3] };
}

function comparePeer(): void {
  const r = spawnSync('python3', ['scripts/bench/peers/estimator_peer.py'], { input: JSON.stringify(instances), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`python peer failed: ${r.stderr}`);
  const peer = JSON.parse(r.stdout) as Array<{ blockSize: number | null; samples: number | null; seconds: number }>;
  console.log('| instance | b (ours) | b (peer) | ours ms | peer ms | peer/ours |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  let oursTotal = 0;
  let peerTotal = 0;
  instances.forEach((inst, i) => {
    const ours = timeOurs(inst, 200);
    oursTotal += ours.seconds;
    peerTotal += peer[i].seconds;
    const ratio = peer[i].seconds / ours.seconds;
    console.log(`| ${inst.name} | ${ours.blockSize} | ${peer[i].blockSize} | ${(ours.seconds * 1e3).toFixed(3)} | ${(peer[i].seconds * 1e3).toFixed(1)} | ${ratio.toFixed(0)}× |`);
  });
  console.log(`\nall instances: ours ${(oursTotal * 1e3).toFixed(2)} ms, peer ${(peerTotal * 1e3).toFixed(0)} ms, ratio ${(peerTotal / oursTotal).toFixed(0)}×`);
}

function labelThroughput(): void {
  const rng = new Rng(42, 0);
  const shapes = Array.from({ length: 20000 }, () => {
    const multDepth = rng.int(12);
    return { multDepth, nNodes: 150 + rng.int(200), nMults: multDepth + rng.int(150) };
  });
  const t0 = performance.now();
  for (const s of shapes) searchParameters(s);
  const cold = performance.now() - t0;
  const t1 = performance.now();
  for (const s of shapes) searchParameters(s);
  const warm = performance.now() - t1;
  const perMinute = (ms: number) => Math.round((shapes.length / ms) * 60000).toLocaleString('en-US');
  console.log(`\nsearchParameters on ${shapes.length} random circuit shapes (depth 0–11, 150–349 nodes):`);
  console.log(`  first pass (cache filling): ${cold.toFixed(0)} ms → ${perMinute(cold)} circuits/min`);
  console.log(`  second pass (memoised):     ${warm.toFixed(0)} ms → ${perMinute(warm)} circuits/min`);
}

comparePeer();
labelThroughput();
