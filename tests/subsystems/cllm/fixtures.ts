import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type MlRuntime } from '../../../src/ml/backend.js';
import cllm from '../../../src/subsystems/cllm/index.js';
import { readDefaultCorpus } from '../../../src/subsystems/cllm/dataset/corpus.js';
import { ensureCorpusDataset } from '../../../src/subsystems/cllm/dataset/prepare.js';
import type { GptConfig } from '../../../src/subsystems/cllm/model/config.js';
import { Rng } from '../../../src/util/rng.js';

/** The first `n` characters of Moby Dick, as a user's text file. */
export function corpusFile(n = 40_000): string {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-cllm-corpus-'));
  const path = join(dir, 'moby.txt');
  writeFileSync(path, readDefaultCorpus().text.slice(0, n));
  return path;
}

/** A datasets root holding a cllm dataset built from the first 40 000 characters of Moby Dick. */
export async function tinyDatasets(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'parzen-cllm-ds-'));
  await ensureCorpusDataset(join(root, 'cllm'), { corpus: corpusFile(), seed: 1 });
  return root;
}

/** Params over defaults.full that train a trial in seconds. */
export const TINY_PARAMS = { ...cllm.defaults.full, n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, batch_size: 4, steps_per_epoch: 4, val_windows: 8, diag_every: 2 } as const;

export const TINY_CONFIG: GptConfig = { vocabSize: 30, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16, dropout: 0 };

export function randomTokens(n: number, vocab: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.int(vocab));
}

export function wasmRuntime(): Promise<MlRuntime> {
  return initBackend('wasm');
}
