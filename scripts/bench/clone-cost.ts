/**
 * What one saved tensor costs a custom gradient: tfjs' `save` (an Identity kernel per tensor through the engine's
 * dispatch) against `saveShared` (kernels/shared-save.ts: a tensor over the same buffer), in this thread's CPU
 * (/proc/thread-self/schedstat), alternated block by block. A custom op saving 48 tensors runs forward under
 * `tf.grad` (tape on, so the saves happen), then the backward; the difference per saved tensor is what each
 * replica saved per clone removed (the graph network's 128×3 step had 50).
 *
 *   npx tsc -p tsconfig.json && nice -n 10 node dist/scripts/bench/clone-cost.js [--blocks 6 --calls 2000]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tfc from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/ml/backend.js';
import { saveShared } from '../../src/ml/kernels/shared-save.js';

const { values } = parseArgs({ options: { blocks: { type: 'string', default: '6' }, calls: { type: 'string', default: '2000' } } });
const blocks = Number(values.blocks);
const calls = Number(values.calls);
if (!Number.isSafeInteger(blocks) || blocks < 1 || !Number.isSafeInteger(calls) || calls < 1) throw new Error('--blocks, --calls: positive integers');

function threadCpuMs(): number {
  process.cpuUsage(); // brings this thread's schedstat runtime up to date
  return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
}

const { tf } = await initBackend('wasm');
const x = tf.randomNormal([593, 128]);
// 48 saved tensors per call (the shapes a 128×3 layer saves), so their cost stands out of the op's own.
const shapes = [[593, 128], [2599, 4], [2599, 128], [2599]];
const saved = Array.from({ length: 48 }, (_, i) => tf.randomNormal(shapes[i % shapes.length]));
function op(shared: boolean): (a: tfc.Tensor) => tfc.Tensor {
  return tf.customGrad((...inputs: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const save = inputs[1] as tfc.GradSaveFunc;
    if (shared) saveShared(save, saved);
    else save(saved);
    return { value: tf.clone(inputs[0] as tfc.Tensor), gradFunc: (dy: tfc.Tensor) => [tf.clone(dy)] };
  }) as (a: tfc.Tensor) => tfc.Tensor;
}
const ops = { save: op(false), saveShared: op(true) };
const run = (kind: 'save' | 'saveShared'): number => {
  const t0 = threadCpuMs();
  for (let i = 0; i < calls; i++) tf.grad(ops[kind])(x).dispose();
  return threadCpuMs() - t0;
};
run('save');
run('saveShared');
const totals = { save: 0, saveShared: 0 };
for (let b = 0; b < blocks; b++) {
  const order: Array<'save' | 'saveShared'> = b % 2 === 0 ? ['save', 'saveShared'] : ['saveShared', 'save'];
  for (const kind of order) totals[kind] += run(kind);
}
const n = blocks * calls;
const perCallUs = { save: (totals.save / n) * 1000, saveShared: (totals.saveShared / n) * 1000 };
console.log(JSON.stringify({
  calls: n, savedPerCall: saved.length, perCallThreadCpuUs: perCallUs,
  perSavedTensorUs: (perCallUs.save - perCallUs.saveShared) / saved.length, loadAverage: loadavg()[0],
}));
