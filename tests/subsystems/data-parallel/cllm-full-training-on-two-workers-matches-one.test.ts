import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullTrainResult } from '../../../src/subsystems/subsystem.js';
import cllm from '../../../src/subsystems/cllm/index.js';
import { tinyDatasets, TINY_PARAMS } from '../cllm/fixtures.js';
import { recorder } from '../recorder.js';

/**
 * Full training of the character GPT as `tune train --train-workers 2` runs it (the subsystem's fullTrain with
 * `trainWorkers: 2`): replica 1 on its own worker thread, replica 0 here validating, checkpointing and testing.
 * The loop checks the replicas bit-identical after every epoch (a divergence fails the run); here the recorded
 * curve and the test loss must be the single worker's up to float summation order.
 */
for (const dropout of [0, 0.2]) test(`cllm full training on two train workers records the single worker’s losses and test loss (dropout ${dropout})`, async () => {
  // With dropout, each share's windows must draw the masks they draw in the whole batch (keyed by window).
  const datasetsDir = await tinyDatasets();
  const config = { ...TINY_PARAMS, dropout, epochs: 3, batch_size: 6, backend: 'wasm' };
  const train = async (trainWorkers: number): Promise<FullTrainResult & { metrics: Array<Readonly<Record<string, number>>> }> => {
    const r = recorder(datasetsDir, { seed: 11 });
    const out = await cllm.fullTrain(config, { ...r.fullTrainContext(mkdtempSync(join(tmpdir(), 'parzen-dp-run-'))), trainWorkers });
    return { ...out, metrics: r.metrics.filter(([, m]) => Object.hasOwn(m, 'val_loss')).map(([, m]) => m) };
  };
  const one = await train(1);
  const two = await train(2);
  assert.equal(two.result['train_workers'], 2);
  assert.equal(two.metrics.length, 3);
  for (let e = 0; e < 3; e++) {
    for (const k of ['train_loss', 'val_loss']) {
      const [a, b] = [one.metrics[e][k], two.metrics[e][k]];
      assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a)), `epoch ${e} ${k}: ${b} (2 workers) vs ${a} (1)`);
    }
  }
  const [ta, tb] = [one.result['test_loss'] as number, two.result['test_loss'] as number];
  assert.ok(Math.abs(ta - tb) <= 1e-4 * ta, `test_loss ${tb} vs ${ta}`);
});
