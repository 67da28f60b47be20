/**
 * Building the retriever from hyperparameters (optionally over a finished run's encoder), its validation loss and
 * its test evaluation. Imports TensorFlow.js; engine.ts loads it only inside a trial.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Attrs } from '../../core/frozen.js';
import { ConfigError } from '../../errors.js';
import { currentRuntime } from '../../ml/backend.js';
import { loadCheckpoint } from '../../ml/checkpoint.js';
import { heldOutBatches, loadRetrievalData, type RetrievalData } from './data.js';
import { SubwordTable } from './dataset/subwords.js';
import { sifLogWeights, vocabHash, vocabSize, type Tokenizer } from './dataset/vocab.js';
import { compareSystems, denseMrr10, scoreTable, type SystemScores } from './evaluate.js';
import type { RetrievalHyperparams } from './hyperparams.js';
import { DenseRetriever } from './model/retriever.js';

/** The training data plus, with `base_checkpoint`, the encoder weights of that run (base variables, in order). */
export interface RetrieverData extends RetrievalData {
  readonly baseWeights: readonly Float32Array[] | null;
}

/** The subword features of `hp` over `tokenizer`'s forms, or null when `subword_buckets` is 0. */
export function subwordTable(hp: RetrievalHyperparams, tokenizer: Tokenizer): SubwordTable | null {
  if (hp.subwordBuckets === 0) return null;
  return new SubwordTable({ minN: hp.subwordMinN, maxN: hp.subwordMaxN, buckets: hp.subwordBuckets }, (id) => tokenizer.formOf(id));
}

/** A retriever over the dataset's vocabulary; its token ids are `data.tokenizer`'s (the one that encodes its texts). */
export function createRetriever(hp: RetrievalHyperparams, data: Pick<RetrievalData, 'dataset' | 'tokenizer'>, seed: number): DenseRetriever {
  const vocab = data.dataset.vocab;
  return new DenseRetriever(
    {
      vocabSize: vocabSize(vocab), termLogWeights: sifLogWeights(vocab), embedDim: hp.embedDim, encoderLayers: hp.encoderLayers, outputDim: hp.outputDim, dropout: hp.dropout,
      subwords: subwordTable(hp, data.tokenizer),
    },
    seed,
    {
      temperature: hp.temperature, isotropyWeight: hp.isotropyWeight, regWeight: hp.regWeight,
      baseLrScale: hp.freezeBase ? 0 : hp.baseLearningRate / hp.projectionLearningRate,
    },
  );
}

/** The `best` weights of an earlier run's encoder (same vocabulary and architecture), read into plain arrays. */
async function readBaseWeights(hp: RetrievalHyperparams, data: RetrievalData): Promise<Float32Array[]> {
  const dir = hp.baseCheckpoint ?? '';
  const probe = createRetriever(hp, data, 0);
  try {
    const { tf: rt } = await currentRuntime();
    await loadCheckpoint(rt, { dir, tag: 'best', variables: probe.variables }).catch((e: unknown) => {
      throw new ConfigError(`base_checkpoint: ${dir} has no loadable best checkpoint for this architecture (${(e as Error).message}); give the folder of a COMPLETE retrieval run with the same embed_dim, encoder_layers, output_dim, subword_buckets and dataset`, { cause: e });
    });
    return probe.params.base.map((v) => v.dataSync().slice() as Float32Array);
  } finally {
    probe.dispose();
  }
}

export async function loadRetrieverData(datasetsDir: string, hp: RetrievalHyperparams): Promise<RetrieverData> {
  const data = await loadRetrievalData(datasetsDir, hp);
  return { ...data, baseWeights: hp.baseCheckpoint === null ? null : await readBaseWeights(hp, data) };
}

/** A fresh retriever whose encoder starts from the base checkpoint when the config names one. */
export function createRetrieverModel(hp: RetrievalHyperparams, data: RetrieverData, seed: number): DenseRetriever {
  const model = createRetriever(hp, data, seed);
  data.baseWeights?.forEach((w, i) => {
    const v = model.params.base[i];
    tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
  });
  return model;
}

/** Mean InfoNCE + regularisers over fixed validation batches, without dropout. */
export function validationLoss(model: DenseRetriever, data: RetrievalData, hp: RetrievalHyperparams): number {
  const batches = heldOutBatches(data, 'val', hp.batchSize);
  let sum = 0;
  let n = 0;
  for (const b of batches) {
    sum += tf.tidy(() => model.loss(b, false).dataSync()[0]) * b.queries.n;
    n += b.queries.n;
  }
  return sum / Math.max(1, n);
}

export { denseMrr10 };

function flatten(prefix: string, s: SystemScores): Attrs {
  const out: Record<string, number> = {};
  for (const [system, scores] of Object.entries(s) as Array<[string, Readonly<Record<string, number>>]>) {
    for (const [k, v] of Object.entries(scores)) out[`${prefix}_${system}_${k}`] = v;
  }
  return out;
}

/** Test results: every system side by side on the test queries, the table `tune train` prints, and the checks. */
export function evaluateRetrieverTest(model: DenseRetriever, data: RetrievalData, hp: RetrievalHyperparams): Attrs {
  const untrained = createRetriever(hp, data, model.seed);
  try {
    const { scores: test, fusionWeight } = compareSystems({ model, untrained, data, hp, split: 'test' });
    return {
      ...flatten('test', test),
      fusion_bm25_weight: fusionWeight,
      val_dense_mrr_at_10: denseMrr10(model, data, 'val'),
      // One string, a line per system, so `tune train` prints it as a table (an array would print as "[n items]").
      test_table: ['', ...scoreTable(test, `test (${data.splits.test.queries.length} q, ${data.corpusTexts.length} docs)`), `hybrid: min-max score interpolation, BM25 weight ${fusionWeight.toFixed(2)}, dense ${(1 - fusionWeight).toFixed(2)}, chosen on validation; RRF: k ${hp.rrfK}, equal weights`].join('\n    '),
      dense_beats_untrained: test.dense.mrr_at_10 > test.untrained.mrr_at_10 && test.dense.recall_at_10 > test.untrained.recall_at_10,
      hybrid_beats_bm25: test.hybrid.mrr_at_10 > test.bm25.mrr_at_10 && test.hybrid.recall_at_10 > test.bm25.recall_at_10,
      corpus_size: data.corpusTexts.length,
      test_queries: data.splits.test.queries.length,
      vocab_size: data.tokenizer.size,
      vocab_hash: vocabHash(data.dataset.vocab),
      dataset_source: data.dataset.manifest.source ?? null,
      dataset_dir: join(data.dir),
    };
  } finally {
    untrained.dispose();
  }
}
