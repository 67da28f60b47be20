/**
 * Loading a prepared corpus for training and scoring a model on fixed windows of a split. Imports TensorFlow.js
 * (through the model); engine.ts loads it only inside a trial.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Attrs, AttrValue } from '../../core/frozen.js';
import { readCorpusDataset, type CorpusDataset } from './dataset/files.js';
import { unigramEntropyNats } from './dataset/unigram.js';
import { loadCodec, vocabSize, type Vocab } from './dataset/codec.js';
import type { TokenCodec } from './dataset/vocab.js';
import { evenStarts, windowBatch } from './batches.js';
import type { CllmHyperparams } from './hyperparams.js';
import { GptModel } from './model/gpt.js';

export interface CllmData {
  readonly dataset: CorpusDataset;
  readonly codec: TokenCodec;
  /** Entropy of the training characters (nats/token): the unigram baseline the model must beat. */
  readonly unigramNats: number;
}

export async function loadCllmData(datasetsDir: string): Promise<CllmData> {
  const dataset = readCorpusDataset(join(datasetsDir, 'cllm'));
  return { dataset, codec: await loadCodec(dataset.vocab), unigramNats: unigramEntropyNats(dataset.splits.train, vocabSize(dataset.vocab)) };
}

/** Nats per token → bits per character of `split` (tokens per character differ from 1 under BPE). */
export function bitsPerChar(data: CllmData, split: 'train' | 'val' | 'test', nats: number): number {
  const m = data.dataset.manifest;
  return (nats * m.tokens[split]) / m.chars[split] / Math.LN2;
}

export function createCllmModel(hp: CllmHyperparams, vocabSize: number, seed: number): GptModel {
  return new GptModel(
    { vocabSize, blockSize: hp.blockSize, nLayer: hp.nLayer, nHead: hp.nHead, nEmbd: hp.nEmbd, dropout: hp.dropout },
    seed,
    { diagEvery: hp.diagEvery },
  );
}

/** Mean next-token loss (nats/token) over `nWindows` evenly spaced windows of `ids`, without dropout. */
export function windowLoss(model: GptModel, ids: Uint16Array, o: { nWindows: number; batchSize: number; split: string }): number {
  const time = model.config.blockSize;
  const starts = evenStarts(ids, time, o.nWindows, o.split);
  let sum = 0;
  for (let i = 0; i < starts.length; i += o.batchSize) {
    const chunk = starts.slice(i, i + o.batchSize);
    const batch = windowBatch(ids, chunk, time);
    sum += tf.tidy(() => model.loss(batch, false).dataSync()[0]) * chunk.length;
  }
  return sum / starts.length;
}

/** The vocabulary as a plain attribute value (what the run record stores). */
function vocabAttr(v: Vocab): AttrValue {
  return v.kind === 'bpe' ? { kind: 'bpe', encoding: v.encoding, ids: [...v.ids] } : { kind: 'char', chars: [...v.chars] };
}

/** Test results of full training: loss in nats and bits per character beside the unigram baseline. */
export function evaluateCllmTest(model: GptModel, data: CllmData, hp: CllmHyperparams): Attrs {
  const testLoss = windowLoss(model, data.dataset.splits.test, { nWindows: 4 * hp.valWindows, batchSize: hp.batchSize, split: 'test' });
  const valLoss = windowLoss(model, data.dataset.splits.val, { nWindows: hp.valWindows, batchSize: hp.batchSize, split: 'val' });
  return {
    test_loss: testLoss,
    test_bits_per_char: bitsPerChar(data, 'test', testLoss),
    val_loss: valLoss,
    val_bits_per_char: bitsPerChar(data, 'val', valLoss),
    unigram_nats: data.unigramNats,
    unigram_bits_per_char: bitsPerChar(data, 'train', data.unigramNats),
    tokenizer: data.dataset.manifest.tokenizer,
    beats_unigram: valLoss < data.unigramNats && testLoss < data.unigramNats,
    vocab_size: data.codec.size,
    // The run keeps its own vocabulary: `tune generate` must not depend on a dataset rebuilt since.
    vocab: vocabAttr(data.dataset.vocab),
  };
}
