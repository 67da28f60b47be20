import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Adam, type AdamOptions } from '../../../src/ml/adam.js';
import { initBackend } from '../../../src/ml/backend.js';
import { clipByGlobalNorm, globalNorm } from '../../../src/ml/clip.js';
import { clipScale } from '../../../src/ml/data-parallel/replica-step.js';
import { loadWeights, ShardedAdam } from '../../../src/ml/data-parallel/sharded-adam.js';

/**
 * The sharded AdamW update (each replica its range of the flat parameters, moments for that range only, straight
 * from the mean gradient with the clip factor folded in) against the per-variable update one worker runs (clip by
 * tf ops, then the fused Adam): the same weights bit for bit after every step, for ranges that cut variables in
 * the middle, with decay on 2-D weights only, a variable at half the rate and a frozen one.
 */

const SHAPES: ReadonlyArray<readonly number[]> = [[5, 7], [7], [3, 4], [4], [2, 3]];
const CLIP = 1;

function makeVariables(prefix: string): tf.Variable[] {
  return SHAPES.map((shape, k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: n }, (_, i) => Math.sin(k * 3.1 + i * 0.77) * 0.5);
    return tf.variable(tf.tensor(values, [...shape]), true, `${prefix}/${k}`);
  });
}

/** Step t's gradient for variable k: large at steps 1 and 2 (so clipping acts), small at 0 and 3. */
function gradient(t: number, k: number, n: number): Float32Array {
  const size = t === 1 || t === 2 ? 4 : 0.05;
  return Float32Array.from({ length: n }, (_, i) => Math.cos(t * 1.3 + k * 2.9 + i * 0.41) * size);
}

function bits(vs: readonly tf.Variable[]): number[] {
  return vs.flatMap((v) => Array.from(new Uint32Array(Float32Array.from(v.dataSync()).buffer)));
}

function options(vs: readonly tf.Variable[]): AdamOptions {
  return {
    weightDecay: 0.1,
    decays: (v) => v.shape.length === 2,
    lrScale: (v) => (v === vs[2] ? 0.5 : v === vs[3] ? 0 : 1),
  };
}

/** `nSteps` of clip + Adam on one worker's variables and of the sharded update over `cuts`; both variable sets. */
async function run(cuts: readonly number[], nSteps: number): Promise<{ reference: tf.Variable[]; sharded: tf.Variable[]; shards: ShardedAdam[]; clippedSteps: number }> {
  const { tf: runtime } = await initBackend('wasm');
  const reference = makeVariables(`ref-${cuts.join('-')}`);
  const sharded = makeVariables(`shard-${cuts.join('-')}`);
  const total = sharded.reduce((s, v) => s + v.size, 0);
  const adam = new Adam(runtime, options(reference));
  const weights = new Float32Array(total);
  const bounds = [0, ...cuts, total];
  const shards = bounds.slice(1).map((hi, r) => new ShardedAdam(runtime, sharded, { range: [bounds[r], hi], weights, adam: options(sharded) }));
  for (const s of shards) s.publishInitial();
  let clippedSteps = 0;
  for (let t = 0; t < nSteps; t++) {
    const lr = 1e-2 * (1 + t);
    const grads = reference.map((v, k) => gradient(t, k, v.size));
    tf.tidy(() => {
      const tensors = grads.map((g, k) => tf.tensor(g, [...SHAPES[k]]));
      const norm = globalNorm(runtime, tensors).dataSync()[0];
      const clipped = norm > CLIP;
      clippedSteps += clipped ? 1 : 0;
      const applied = clipped ? clipByGlobalNorm(runtime, tensors, CLIP, { norm }).clipped : tensors;
      adam.apply(reference.map((variable, k) => ({ variable, grad: applied[k] })), lr);
      const mean = new Float32Array(total);
      let offset = 0;
      for (const g of grads) {
        mean.set(g, offset);
        offset += g.length;
      }
      for (const s of shards) s.step(mean, lr, clipped ? clipScale(CLIP, norm) : 1);
      loadWeights(runtime, sharded, weights);
    });
    assert.deepEqual(bits(sharded), bits(reference), `cuts ${cuts.join(',')}: weights after step ${t}`);
  }
  adam.dispose();
  return { reference, sharded, shards, clippedSteps };
}

test('two ranges cutting a variable in the middle give the unsharded update bit for bit, clipped steps included', async () => {
  const { reference, sharded, clippedSteps } = await run([20], 4);
  assert.equal(clippedSteps, 2, 'steps 1 and 2 are clipped');
  // The frozen variable (rate scale 0) did not move; the others did.
  assert.deepEqual(Array.from(sharded[3].dataSync()), Array.from(makeVariables('fresh')[3].dataSync()));
  assert.notDeepEqual(Array.from(sharded[0].dataSync()), Array.from(makeVariables('fresh2')[0].dataSync()));
  for (const v of [...reference, ...sharded]) v.dispose();
});

test('three uneven ranges keep moments for their own range only, the whole vector\'s moments cut into pieces', async () => {
  const three = await run([9, 45], 3);
  const one = await run([], 3);
  assert.deepEqual(three.shards.map((s) => s.moments.m.length), [9, 36, 64 - 45]);
  const whole = one.shards[0].moments;
  for (const key of ['m', 'v'] as const) {
    const pieces = Float32Array.from(three.shards.flatMap((s) => Array.from(s.moments[key])));
    assert.deepEqual(Array.from(new Uint32Array(pieces.buffer)), Array.from(new Uint32Array(Float32Array.from(whole[key]).buffer)), `moment ${key}`);
  }
  assert.ok(three.shards.every((s) => s.steps === 3));
  for (const v of [...three.reference, ...three.sharded, ...one.reference, ...one.sharded]) v.dispose();
});

test('a range outside the parameters or shared weights of the wrong length are refused, naming the sizes', async () => {
  const { tf: runtime } = await initBackend('wasm');
  const vs = makeVariables('bad');
  assert.throws(() => new ShardedAdam(runtime, vs, { range: [0, 65], weights: new Float32Array(64) }), /update range \[0, 65\) outside \[0, 64\]/);
  assert.throws(() => new ShardedAdam(runtime, vs, { range: [0, 10], weights: new Float32Array(60) }), /shared weights of 60 values for variables of 64/);
  for (const v of vs) v.dispose();
});
