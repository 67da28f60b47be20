import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainingError } from '../../src/errors.js';
import { initBackend } from '../../src/ml/backend.js';
import { loadCheckpoint, saveCheckpoint, type CheckpointManifest } from '../../src/ml/checkpoint.js';
import { train } from '../../src/ml/train-loop.js';
import { regressionTask } from './fixtures.js';

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'parzen-ckpt-'));
  try {
    await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('saving then loading restores every variable exactly', () =>
  withDir(async (dir) => {
    const { tf } = await initBackend('wasm');
    const a = tf.variable(tf.randomNormal([3, 4], 0, 1, 'float32', 1));
    const b = tf.variable(tf.tensor1d([0.25, -7]));
    const saved = [Array.from(a.dataSync()), Array.from(b.dataSync())];
    const m = await saveCheckpoint(tf, { dir, tag: 'best', variables: [a, b], epoch: 2, valLoss: 0.5 });
    assert.equal(m.byteLength, 14 * 4);
    a.assign(tf.zerosLike(a));
    b.assign(tf.onesLike(b));
    const loaded = await loadCheckpoint(tf, { dir, tag: 'best', variables: [a, b] });
    assert.equal(loaded.epoch, 2);
    assert.deepEqual([Array.from(a.dataSync()), Array.from(b.dataSync())], saved);
    assert.deepEqual((await readdir(dir)).sort(), ['best.bin', 'best.json']); // no temp files left behind
  }));

test('loading into a model of another shape fails with a SHAPE error naming the variable', () =>
  withDir(async (dir) => {
    const { tf } = await initBackend('wasm');
    const a = tf.variable(tf.zeros([3, 4]));
    await saveCheckpoint(tf, { dir, tag: 'last', variables: [a], epoch: 0, valLoss: null });
    const wider = tf.variable(tf.zeros([3, 8]));
    await assert.rejects(loadCheckpoint(tf, { dir, tag: 'last', variables: [wider] }), (e: unknown) => {
      assert.ok(e instanceof TrainingError);
      assert.equal(e.code, 'SHAPE');
      assert.match(e.message, /variable #0 .* has shape \[3, 4\] but the model's .* is \[3, 8\]/);
      return true;
    });
    await assert.rejects(loadCheckpoint(tf, { dir, tag: 'last', variables: [a, wider] }), /holds 1 variables but the model has 2/);
  }));

test('a binary that does not match its manifest is rejected as corrupt', () =>
  withDir(async (dir) => {
    const { tf } = await initBackend('wasm');
    const a = tf.variable(tf.ones([4]));
    await saveCheckpoint(tf, { dir, tag: 'best', variables: [a], epoch: 0, valLoss: 1 });
    const bytes = await readFile(join(dir, 'best.bin'));
    bytes[0] ^= 0xff;
    await writeFile(join(dir, 'best.bin'), bytes);
    await assert.rejects(loadCheckpoint(tf, { dir, tag: 'best', variables: [a] }), /does not match its manifest/);
  }));

test('train writes best at the best validation epoch and last at the final epoch', () =>
  withDir(async (dir) => {
    const { tf } = await initBackend('wasm');
    const task = regressionTask(tf, { seed: 5, nTrain: 64, nVal: 16, batchSize: 16 });
    const scripted = [0.9, 0.3, 0.6];
    const result = await train({ ...task.base, valLoss: (e) => scripted[e], epochs: 3, batchCap: null, learningRate: 1e-3, checkpoint: { dir } });
    const best = JSON.parse(await readFile(join(dir, 'best.json'), 'utf8')) as CheckpointManifest;
    const last = JSON.parse(await readFile(join(dir, 'last.json'), 'utf8')) as CheckpointManifest;
    assert.equal(result.bestEpoch, 1);
    assert.deepEqual([best.epoch, best.valLoss, last.epoch, last.valLoss], [1, 0.3, 2, 0.6]);
    const finalWeights = task.model.variables.map((v) => Array.from(v.dataSync()));
    await loadCheckpoint(tf, { dir, tag: 'last', variables: task.model.variables });
    assert.deepEqual(task.model.variables.map((v) => Array.from(v.dataSync())), finalWeights);
    task.dispose();
  }));
