/**
 * Thread CPU of one fused AdamW pass (ml/kernels/adam-update.ts `adamKernel`) over N elements: unclipped and clipped
 * (gradScale ≠ 1, what the data-parallel sharded update runs on nearly every GAT step), with the C loops of the addon
 * and with the JS loops (`useNativeKernels(false)`), over ArrayBuffer- and SharedArrayBuffer-backed arrays (the
 * sharded update reads the mean gradient and writes the weights in shared memory). Issue 17, session 29.
 *
 *   npx tsc -p tsconfig.json && nice -n 10 node dist/scripts/bench/adam-kernel-cost.js [--n 1200000 --reps 30]
 *
 * ms per pass, the mean over `reps` passes after 3 warm-up passes (thread CPU from /proc/thread-self/schedstat, read
 * after a getrusage so that it is current).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { adamKernel } from '../../src/ml/kernels/adam-update.js';
import { nativeKernels, useNativeKernels } from '../../src/ml/kernels/native-kernels.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '1200000' }, reps: { type: 'string', default: '30' } } });
const n = Number(values.n);
const reps = Number(values.reps);
if (!(Number.isSafeInteger(n) && n > 0 && Number.isSafeInteger(reps) && reps > 0)) throw new Error(`--n and --reps: expected positive integers, got '${values.n}', '${values.reps}'`);

// getrusage first: it brings this thread's schedstat runtime up to date (else it lags by up to a scheduler tick).
const threadCpuMs = (): number => (process.cpuUsage(), Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6);

function arrays(shared: boolean): { w: Float32Array; g: Float32Array; m: Float32Array; v: Float32Array } {
  const make = (): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
  const [w, g] = [make(), make()];
  for (let i = 0; i < n; i++) {
    w[i] = Math.sin(i);
    g[i] = Math.cos(i) * 1e-3;
  }
  return { w, g, m: new Float32Array(n), v: new Float32Array(n) };
}

const step = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: 1e-4, decay: 1e-6 };
const results: Record<string, number> = {};
const hasC = nativeKernels() !== null;
for (const loops of hasC ? ['C', 'JS'] : ['JS']) {
  useNativeKernels(loops === 'C');
  for (const shared of [false, true]) {
    const a = arrays(shared);
    for (const gradScale of [1, 0.5]) {
      const pass = (): void => adamKernel({ ...a, out: a.w }, step, gradScale);
      for (let i = 0; i < 3; i++) pass();
      const t0 = threadCpuMs();
      for (let i = 0; i < reps; i++) pass();
      results[`${loops} loops, ${shared ? 'SharedArrayBuffer' : 'ArrayBuffer'}, ${gradScale === 1 ? 'unclipped' : 'clipped'}`] = (threadCpuMs() - t0) / reps;
    }
  }
}
useNativeKernels(true);
console.log(JSON.stringify({ n, reps, msPerPass: results, loadAverage: loadavg()[0] }, null, 2));
