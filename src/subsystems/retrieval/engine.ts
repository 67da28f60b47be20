/**
 * The retriever's half of training (subsystems/harness.ts has the other): tokenised data, the model, shuffled
 * triple batches, the validation loss, validation MRR@10 as the tuning metric and the test comparison. Imports
 * TensorFlow.js; `index.ts` loads it only inside a trial.
 */
import type { TrainingEngine } from '../harness.js';
import { batchesPerEpoch, trainBatches } from './data.js';
import type { RetrievalHyperparams } from './hyperparams.js';
import type { TripleBatch } from './model/batch.js';
import type { DenseRetriever } from './model/retriever.js';
import { createRetrieverModel, denseMrr10, evaluateRetrieverTest, loadRetrieverData, validationLoss, type RetrieverData } from './train.js';

export const retrievalEngine: TrainingEngine<RetrievalHyperparams, RetrieverData, TripleBatch, DenseRetriever> = {
  loadData: (datasetsDir, hp) => loadRetrieverData(datasetsDir, hp),
  batchesPerEpoch: (data, hp) => batchesPerEpoch(data, hp.batchSize),
  createModel: (hp, data, seed) => createRetrieverModel(hp, data, seed),
  trainBatches: (data, hp, o) => trainBatches(data, hp.batchSize, o),
  valLoss: (model, data, hp) => validationLoss(model, data, hp),
  selection: { name: 'val_mrr_at_10', direction: 'maximize', evaluate: (model, data) => denseMrr10(model, data, 'val') },
  evaluateTest: async (model, data, hp) => evaluateRetrieverTest(model, data, hp),
  describe: (data) => ({
    corpus: data.corpusTexts.length,
    train_queries: data.splits.train.queries.length,
    val_queries: data.splits.val.queries.length,
    vocab: data.tokenizer.size,
  }),
};
