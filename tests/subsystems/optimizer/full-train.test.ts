import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import optimizerSubsystem from '../../../src/subsystems/optimizer/index.js';
import { OUTPUT_NAMES } from '../../../src/subsystems/optimizer/evaluate.js';
import { recorder, tinyDatasets, TINY_PARAMS } from './fixtures.js';

test('full training writes best/last checkpoints and ends with MAE, R² and the mean baseline per target', async () => {
  const datasetsDir = await tinyDatasets();
  const checkpointDir = mkdtempSync(join(tmpdir(), 'parzen-gat-run-'));
  const r = recorder(datasetsDir);
  const { metrics } = r;
  const out = await optimizerSubsystem.fullTrain({ ...TINY_PARAMS, epochs: 3 }, r.fullTrainContext(checkpointDir));
  assert.equal(metrics.length, 3);
  for (const f of ['best.json', 'best.bin', 'last.json', 'last.bin']) assert.ok(existsSync(join(checkpointDir, f)), `${f} missing`);
  assert.ok(Number.isFinite(out.value));
  assert.equal(out.result['test_circuits'], 12);
  for (const name of OUTPUT_NAMES) {
    for (const k of [`${name}_mae`, `${name}_r2`, `${name}_mean_baseline_mae`, `${name}_mean_baseline_r2`]) {
      assert.equal(typeof out.result[k], 'number', `${k} missing`);
    }
    assert.ok((out.result[`${name}_mae`] as number) >= 0);
  }
  assert.equal(typeof out.result['beats_mean_on_every_target'], 'boolean');
  const bits = out.result['predicted_bits_mean'];
  assert.ok(typeof bits === 'number' && bits > 0, `predicted_bits_mean ${String(bits)}`);
  assert.ok((out.result['predicted_proof_bytes_mean'] as number) > 0);
});
