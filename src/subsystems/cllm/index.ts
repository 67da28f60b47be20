import { join } from 'node:path';
import { TRAINING_DEFAULTS } from '../../ml/hyperparams.js';
import { categorical, float, int } from '../../space/distributions.js';
import { defineTrainingSubsystem } from '../harness.js';
import type { PrepareOptions, PrepareResult } from '../subsystem.js';
import { generateCommand } from './commands.js';
import { parseHyperparams } from './hyperparams.js';

/**
 * Full-training defaults: nanoGPT's CPU character-level setting (4 layers, 4 heads, n_embd 128, block 64,
 * batch 12, lr 1e-3 with warmup and cosine to 1e-4). An epoch is `steps_per_epoch` random windows.
 */
const FULL_DEFAULTS = {
  ...TRAINING_DEFAULTS,
  epochs: 10,
  n_layer: 4,
  n_head: 4,
  n_embd: 128,
  block_size: 64,
  dropout: 0,
  learning_rate: 1e-3,
  weight_decay: 0.1,
  batch_size: 12,
  warmup: 0.05,
  min_lr_ratio: 0.1,
  steps_per_epoch: 200,
  val_windows: 192,
  diag_every: 50,
} as const;

async function prepare(opts: PrepareOptions): Promise<PrepareResult> {
  const { ensureCorpusDataset } = await import('./dataset/prepare.js');
  const dir = join(opts.datasetsDir, 'cllm');
  const corpus = opts.args?.['corpus'];
  const tokenizer = opts.args?.['tokenizer'];
  const r = await ensureCorpusDataset(dir, {
    seed: opts.seed,
    ...(typeof corpus === 'string' ? { corpus } : {}),
    ...(tokenizer === 'char' || tokenizer === 'bpe' ? { tokenizer } : {}),
  });
  if (r.generated && r.manifest !== null) {
    const m = r.manifest;
    opts.log(`cllm dataset built in ${dir} from ${m.source}: ${m.vocabSize} ${m.tokenizer} tokens, ${m.tokens.train}/${m.tokens.val}/${m.tokens.test} train/val/test tokens`, { dir });
  }
  return { dir, generated: r.generated, reason: r.reason };
}

/**
 * The cllm subsystem: a decoder-only transformer language model over characters (GPT-2 layout with causal
 * multi-head self-attention), trained on Moby Dick by default or the user's `--corpus`. The tuning metric is
 * the validation loss in nats per token. TensorFlow.js loads inside a trial (engine.ts), never here.
 * @example
 * const sub = (await import('parzen/subsystems/cllm')).default;
 * await sub.datasets.prepare({ datasetsDir: 'datasets', seed: 42, log: console.log });
 */
export default defineTrainingSubsystem({
  name: 'cllm',
  description: 'decoder-only transformer character language model (causal self-attention) on Moby Dick or your text',
  metric: 'val_loss',
  direction: 'minimize',
  defaultSpace: {
    n_layer: int(1, 4),
    n_head: categorical([2, 4]),
    n_embd: categorical([64, 128]),
    block_size: categorical([32, 64]),
    dropout: float(0, 0.2),
    learning_rate: float(3e-4, 3e-3, { log: true }),
    weight_decay: float(0.01, 0.2, { log: true }),
    batch_size: categorical([8, 12, 16]),
  },
  defaults: { tuning: { epochs: 2, batchCap: 50 }, full: FULL_DEFAULTS },
  datasets: {
    prepare,
    prepareOptions: {
      corpus: { type: 'string', describe: 'a UTF-8 text file or a folder of .txt/.md files to train on (default: Moby Dick)' },
      tokenizer: { type: 'string', choices: ['char', 'bpe'], describe: 'characters (default) or GPT-2 BPE (gpt-tokenizer, compacted to the tokens the corpus uses)' },
    },
  },
  commands: [generateCommand],
  parseHyperparams,
  dataParallel: true,
  loadEngine: async () => (await import('./engine.js')).cllmEngine,
});
