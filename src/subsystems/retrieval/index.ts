import { join } from 'node:path';
import { TRAINING_DEFAULTS } from '../../ml/hyperparams.js';
import { categorical, float } from '../../space/distributions.js';
import { defineTrainingSubsystem } from '../harness.js';
import type { PrepareOptions, PrepareResult } from '../subsystem.js';
import { retrieveCommand } from './commands.js';
import { parseHyperparams } from './hyperparams.js';

/**
 * Full-training defaults. Tokens carry fastText character 3- to 5-gram features hashed into 8,192 rows (dense test
 * MRR@10 ×1.4 over words alone at the same trial budget, and cheaper than 32,768 rows, which did no better:
 * docs/BENCHMARKS.md, issue 9). The loss is InfoNCE at temperature 0.1 (in-batch + one BM25 hard negative), an isotropy
 * term at weight 0.05 and an L2 regulariser; BM25 at Anserini's k1 0.9, b 0.4; RRF at the paper's k = 60, weighted
 * between BM25 and dense by validation. max_doc_len 128 covers a whole default passage (≤ ~120 words).
 */
const FULL_DEFAULTS = {
  ...TRAINING_DEFAULTS,
  epochs: 6,
  embed_dim: 128,
  encoder_layers: 0,
  output_dim: 128,
  subword_buckets: 8192,
  subword_min_n: 3,
  subword_max_n: 5,
  temperature: 0.1,
  isotropy_weight: 0.05,
  reg_weight: 1e-4,
  base_learning_rate: 2e-3,
  projection_learning_rate: 2e-3,
  batch_size: 32,
  dropout: 0.2,
  freeze_base: false,
  base_checkpoint: null,
  mixed_precision: false,
  max_query_len: 48,
  max_doc_len: 128,
  bm25_k1: 0.9,
  bm25_b: 0.4,
  rrf_k: 60,
  patience: 2,
} as const;

async function prepare(opts: PrepareOptions): Promise<PrepareResult> {
  const { ensureRetrievalDataset } = await import('./dataset/prepare.js');
  const dir = join(opts.datasetsDir, 'retrieval');
  const arg = (k: string): Record<string, string> => (typeof opts.args?.[k] === 'string' ? { [k]: opts.args[k] as string } : {});
  const r = await ensureRetrievalDataset(dir, { seed: opts.seed, ...arg('documents'), ...arg('beir'), ...arg('pairs') });
  if (r.generated && r.manifest !== null) {
    const m = r.manifest;
    opts.log(`retrieval dataset built in ${dir} from ${m.source}: ${m.counts.corpus} documents, ${m.counts.train}/${m.counts.val}/${m.counts.test} train/val/test queries, ${m.vocabSize} words`, { dir });
  }
  return { dir, generated: r.generated, reason: r.reason };
}

/**
 * The retrieval subsystem: a dense retriever (word embeddings plus hashed character n-grams, a convolutional encoder, mean pooling, a projection
 * head, unit outputs) trained from scratch with InfoNCE over in-batch and BM25-mined hard negatives, an isotropy term
 * and a weight regulariser; scored by validation MRR@10 (maximised) and compared on the test queries with the
 * untrained encoder, BM25 and their reciprocal-rank fusion. TensorFlow.js loads inside a trial (engine.ts), never here.
 * @example
 * const sub = (await import('parzen/subsystems/retrieval')).default;
 * await sub.datasets.prepare({ datasetsDir: 'datasets', seed: 42, log: console.log });
 */
export default defineTrainingSubsystem({
  name: 'retrieval',
  description: 'dense retriever (contrastive InfoNCE + isotropy) against BM25 and their fusion, on Moby Dick passages or your documents',
  metric: 'val_mrr_at_10',
  direction: 'maximize',
  defaultSpace: {
    output_dim: categorical([128, 256]),
    embed_dim: categorical([128, 256]),
    encoder_layers: categorical([0]),
    subword_buckets: categorical([8192, 32768]),
    temperature: float(0.03, 0.3, { log: true }),
    isotropy_weight: float(0.01, 0.3, { log: true }),
    base_learning_rate: float(5e-4, 5e-3, { log: true }),
    projection_learning_rate: float(5e-4, 5e-3, { log: true }),
    batch_size: categorical([32, 64]),
    dropout: float(0, 0.2),
    freeze_base: categorical([false]),
  },
  defaults: { tuning: { epochs: 3, batchCap: 60 }, full: FULL_DEFAULTS },
  datasets: {
    prepare,
    prepareOptions: {
      documents: { type: 'string', describe: 'a folder of .txt/.md/.jsonl documents: title → body queries where a title exists, inverse-cloze sentences otherwise' },
      beir: { type: 'string', describe: 'a BEIR-layout folder: corpus.jsonl, queries.jsonl, qrels/{train,dev,test}.tsv' },
      pairs: { type: 'string', describe: 'a JSONL file of {"query", "positive", "negative"} triples' },
    },
  },
  commands: [retrieveCommand],
  parseHyperparams,
  loadEngine: async () => (await import('./engine.js')).retrievalEngine,
});
