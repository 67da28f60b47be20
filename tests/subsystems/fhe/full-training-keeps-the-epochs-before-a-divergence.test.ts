import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainingError } from '../../../src/errors.js';
import fhe from '../../../src/subsystems/fhe/index.js';
import { releaseCachedSetup } from '../../../src/subsystems/fhe/setup-cache.js';
import { recorder } from '../recorder.js';
import { TINY_PARAMS, tinyDatasets } from './fixtures.js';

// A constant step of 8 on the tiny split: two epochs of 2 iterations stay inside the sigmoid's interval and the
// float64 twin leaves it at iteration 5 (measured), so the run diverges in its third epoch.
const DIVERGING = { ...TINY_PARAMS, model: 'logistic', learning_rate: 8, lr_schedule: 'constant', sigmoid_bound: 8, iterations: 2 } as const;

test('full training that starts to diverge stops there and keeps the best epoch before it; a trial with the same params fails', async () => {
  const dir = await tinyDatasets();
  try {
    const checkpointDir = mkdtempSync(join(tmpdir(), 'parzen-fhe-diverge-'));
    const r = recorder(dir);
    const out = await fhe.fullTrain({ ...DIVERGING, epochs: 4 }, r.fullTrainContext(checkpointDir));
    assert.equal(out.result['stopped_by'], 'diverged');
    assert.equal(out.result['epochs_run'], 2);
    assert.match(String(out.result['stop_reason']), /diverged at iteration 5 \(float64 twin\)/);
    const best = JSON.parse(readFileSync(join(checkpointDir, 'best.json'), 'utf8')) as { epoch: number };
    assert.equal(out.result['best_epoch'], best.epoch);
    assert.ok(best.epoch <= 2);
    assert.ok(Number.isFinite(out.value) && Number.isFinite(Number(out.result['test_accuracy'])));
    assert.ok(r.logs.some((l) => /stopped after epoch 2 of 4/.test(l.message)), 'the stop is logged');

    const trial = recorder(dir, { budget: { epochs: 4, batchCap: null } });
    await assert.rejects(fhe.objective(DIVERGING, trial.ctx), (e: unknown) => e instanceof TrainingError && e.code === 'NUMERIC');
  } finally {
    releaseCachedSetup();
  }
});
