import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCorpusDataset } from '../../../src/subsystems/cllm/dataset/prepare.js';
import cllm from '../../../src/subsystems/cllm/index.js';
import { recorder } from '../recorder.js';
import { corpusFile, tinyDatasets, TINY_PARAMS } from './fixtures.js';

test('a trial stores per-group diagnostics and validation bits per character beside its epoch metrics', async () => {
  const r = recorder(await tinyDatasets(), { budget: { epochs: 2, batchCap: 4 } });
  await cllm.objective({ ...TINY_PARAMS, diag_every: 2 }, r.ctx);
  const [[, first], [, second]] = r.metrics;
  for (const g of ['embedding', 'attention', 'mlp', 'layernorm']) {
    assert.ok(first[`weight_rms_${g}`] > 0, `weight_rms_${g}`);
    assert.ok(first[`grad_norm_${g}`] > 0 && second[`grad_norm_${g}`] > 0, `grad_norm_${g}`);
    assert.ok(first[`grad_nonzero_${g}`] >= 1, `grad_nonzero_${g}`);
    assert.equal(second[`weight_rms_${g}`], undefined, 'weight magnitudes are recorded at the first step only');
  }
  // A character model: one token per character, so bits per character is nats per token / ln 2.
  for (const m of [first, second]) assert.ok(Math.abs(m['val_bits_per_char'] - m['val_loss'] / Math.LN2) < 1e-9);
});

test('a BPE trial trains and converts nats per token to bits per character by the characters per token', async () => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-cllm-bpe-trial-'));
  await ensureCorpusDataset(join(root, 'cllm'), { corpus: corpusFile(20_000), tokenizer: 'bpe', seed: 1 });
  const r = recorder(root, { budget: { epochs: 1, batchCap: 2 } });
  const value = await cllm.objective(TINY_PARAMS, r.ctx);
  const [[, m]] = r.metrics;
  assert.ok(Number.isFinite(value) && value === m['val_loss']);
  // Several characters per BPE token: fewer bits per character than bits per token.
  assert.ok(m['val_bits_per_char'] < (m['val_loss'] / Math.LN2) / 2, JSON.stringify(m));
});
