/**
 * The cllm's half of training (subsystems/harness.ts has the other): the tokenised corpus, the GPT, random
 * training windows, the validation loss on fixed windows and the test evaluation. Imports TensorFlow.js;
 * `index.ts` loads it only inside a trial.
 */
import type { TrainingEngine } from '../harness.js';
import { randomBatches, randomShares } from './batches.js';
import type { CllmHyperparams } from './hyperparams.js';
import type { GptModel, TokenBatch } from './model/gpt.js';
import { bitsPerChar, createCllmModel, evaluateCllmTest, loadCllmData, windowLoss, type CllmData } from './train.js';

export const cllmEngine: TrainingEngine<CllmHyperparams, CllmData, TokenBatch, GptModel> = {
  loadData: (datasetsDir) => loadCllmData(datasetsDir),
  batchesPerEpoch: (_data, hp) => hp.stepsPerEpoch,
  createModel: (hp, data, seed) => createCllmModel(hp, data.codec.size, seed),
  trainBatches: (data, hp, o) => randomBatches(data.dataset.splits.train, { batchSize: hp.batchSize, time: hp.blockSize, steps: hp.stepsPerEpoch, seed: o.seed, epoch: o.epoch }),
  trainShares: (data, hp, o) => randomShares(data.dataset.splits.train, { batchSize: hp.batchSize, time: hp.blockSize, steps: hp.stepsPerEpoch, seed: o.seed, epoch: o.epoch, share: o.share }),
  valLoss: (model, data, hp) => {
    const loss = windowLoss(model, data.dataset.splits.val, { nWindows: hp.valWindows, batchSize: hp.batchSize, split: 'val' });
    model.noteEpochMetrics({ val_bits_per_char: bitsPerChar(data, 'val', loss) });
    return loss;
  },
  evaluateTest: async (model, data, hp) => evaluateCllmTest(model, data, hp),
  describe: (data) => ({
    vocab: data.codec.size,
    train_tokens: data.dataset.splits.train.length,
    val_tokens: data.dataset.splits.val.length,
    unigram_nats: data.unigramNats,
  }),
};
