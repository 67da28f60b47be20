/**
 * The dense retriever's text encoder, trained from scratch: token embeddings (a word's own row plus, with subwords
 * on, the mean of its hashed character n-gram rows, fastText-style: dataset/subwords.ts), `encoderLayers` residual width-3
 * convolutions with ReLU (a token sees its neighbours; Kim 2014's CNN encoder without max-pooling), masked mean
 * pooling weighted by a learned per-word weight (SIF-initialised), then the projection head to `outputDim`. Rows are laid out [n·T, C] so every product is one plain 2-D
 * matMul (ml/layers/dense.ts), XNNPACK's fast path on wasm. The base is the embeddings and convolutions; the head
 * is one affine map; similarities use the L2-normalised head output.
 */
import * as tf from '@tensorflow/tfjs-core';
import { embeddingLookup, gatherRows, segmentSum } from '../../../ml/kernels/gather-rows.js';
import { dense } from '../../../ml/layers/dense.js';
import { seededDropout } from '../../../ml/layers/dropout.js';
import { VariableFactory } from '../../../ml/layers/init.js';
import type { Rng } from '../../../util/rng.js';
import { subwordRows, type SubwordTable } from '../dataset/subwords.js';
import { wordIds } from '../dataset/vocab.js';
import type { TextBatch } from './batch.js';

export interface EncoderConfig {
  readonly vocabSize: number;
  /** Initial log pooling weight of every token id (`sifLogWeights`); length vocabSize. */
  readonly termLogWeights: Float32Array;
  readonly embedDim: number;
  readonly encoderLayers: number;
  readonly outputDim: number;
  readonly dropout: number;
  /** Hashed character n-gram features of every token (the tokenizer's form ids); null: word embeddings alone. */
  readonly subwords: SubwordTable | null;
}

type V1 = tf.Variable<tf.Rank.R1>;
type V2 = tf.Variable<tf.Rank.R2>;

export interface EncoderParams {
  readonly embedding: V2;
  /** [vocabSize, 1]: each token's log weight in the pooled mean (learned; starts at the SIF weight). */
  readonly termWeight: V2;
  /** [buckets, embedDim]: the hashed n-gram rows (null with subwords off). */
  readonly ngramEmbedding: V2 | null;
  readonly conv: ReadonlyArray<{ readonly w: V2; readonly b: V1 }>;
  readonly headW: V2;
  readonly headB: V1;
  /** Embeddings and convolutions. */
  readonly base: readonly tf.Variable[];
  readonly head: readonly tf.Variable[];
  /** Base then head, in a fixed order (the checkpoint order). */
  readonly all: readonly tf.Variable[];
}

/**
 * Embeddings N(0, 1/embedDim) so a pooled text starts near unit scale per dimension times 1/√T (n-gram rows too: a
 * token's vector is its word row plus the mean of its n-gram rows); Glorot elsewhere. The n-gram table comes after
 * the term weights in the base, so a run without subwords keeps its checkpoint order.
 */
export function createEncoderParams(c: EncoderConfig, seed: number): EncoderParams {
  const f = new VariableFactory(seed, { prefix: 'retriever', stream: 1 });
  const embedding = f.normal('embedding', [c.vocabSize, c.embedDim], 1 / Math.sqrt(c.embedDim)) as V2;
  const termWeight = tf.variable(tf.tensor2d(c.termLogWeights, [c.vocabSize, 1]), true, `${embedding.name}/term-weight`) as V2;
  const ngramEmbedding = c.subwords === null ? null : (f.normal('ngram-embedding', [c.subwords.config.buckets, c.embedDim], 1 / Math.sqrt(c.embedDim)) as V2);
  const conv = Array.from({ length: c.encoderLayers }, (_, l) => ({ w: f.glorot(`conv${l}/w`, [3 * c.embedDim, c.embedDim]) as V2, b: f.constant(`conv${l}/b`, c.embedDim, 0) as V1 }));
  const headW = f.glorot('head/w', [c.embedDim, c.outputDim]) as V2;
  const headB = f.constant('head/b', c.outputDim, 0) as V1;
  const base = [embedding, termWeight, ...(ngramEmbedding === null ? [] : [ngramEmbedding]), ...conv.flatMap((l) => [l.w, l.b])];
  const head = [headW, headB];
  return { embedding, termWeight, ngramEmbedding, conv, headW, headB, base, head, all: [...base, ...head] };
}

/** x [n, T, C] shifted one step along T (toward later positions for `dir` = 1), zero-filled. */
function shift(x: tf.Tensor3D, dir: 1 | -1): tf.Tensor3D {
  const [n, t, c] = x.shape;
  if (t === 1) return tf.zerosLike(x);
  const zeros = tf.zeros([n, 1, c]) as tf.Tensor3D;
  const parts: tf.Tensor3D[] = dir === 1 ? [zeros, tf.slice(x, [0, 0, 0], [n, t - 1, c])] : [tf.slice(x, [0, 1, 0], [n, t - 1, c]), zeros];
  return tf.concat(parts, 1);
}

export interface EncodeOptions {
  readonly training: boolean;
  readonly rng: Rng;
}

/**
 * Each token's subword vector [n·T, D]: the mean of its form's n-gram rows, pooled once per distinct form of the
 * batch and then copied to its positions (host gathers and segment sums: kernels/gather-rows.ts).
 */
function subwordVectors(table: tf.Tensor2D, subwords: SubwordTable, ids: Int32Array): tf.Tensor2D {
  const r = subwordRows(ids, subwords);
  const rows = tf.mul(embeddingLookup(table, r.buckets), tf.tensor2d(r.scale, [r.scale.length, 1])) as tf.Tensor2D;
  const forms = segmentSum(rows, tf.tensor1d(r.segment, 'int32'), r.segment, r.nForms);
  return gatherRows(forms, tf.tensor1d(r.formIndex, 'int32'), r.formIndex);
}

/** Word rows, plus subword vectors when on: [n·T, D] before dropout. */
function tokenVectors(p: EncoderParams, c: EncoderConfig, ids: Int32Array): tf.Tensor2D {
  const words = embeddingLookup(p.embedding, wordIds(ids, c.vocabSize));
  if (p.ngramEmbedding === null || c.subwords === null) return words;
  return tf.add(words, subwordVectors(p.ngramEmbedding, c.subwords, ids)) as tf.Tensor2D;
}

/** Head outputs z [n, outputDim] before normalisation (what the isotropy term and the std diagnostics read). */
export function encodeRaw(p: EncoderParams, c: EncoderConfig, b: TextBatch, o: EncodeOptions): tf.Tensor2D {
  const { n, len } = b;
  const d = c.embedDim;
  const mask = tf.tensor3d(b.mask, [n, len, 1]);
  // Dropout on the token embeddings too (word-level noise): a small corpus is otherwise memorised word by word.
  const tokens = seededDropout(tokenVectors(p, c, b.ids), { dropout: c.dropout, training: o.training, rng: o.rng });
  let x = tf.mul(tf.reshape(tokens, [n, len, d]), mask) as tf.Tensor3D;
  for (const layer of p.conv) {
    const windows = tf.reshape(tf.concat([shift(x, 1), x, shift(x, -1)], 2), [n * len, 3 * d]) as tf.Tensor2D;
    const h = tf.relu(tf.add(dense(windows, layer.w), layer.b));
    x = tf.mul(tf.add(x, tf.reshape(h, [n, len, d])), mask) as tf.Tensor3D;
  }
  // Weighted mean pooling: weights exp(termWeight[token]) on real tokens (SIF-initialised, learned).
  const weights = tf.mul(tf.reshape(tf.exp(embeddingLookup(p.termWeight, wordIds(b.ids, c.vocabSize))), [n, len, 1]), mask);
  const pooled = tf.div(tf.sum(tf.mul(x, weights), 1), tf.add(tf.sum(weights, 1), 1e-6)) as tf.Tensor2D;
  const dropped = seededDropout(pooled, { dropout: c.dropout, training: o.training, rng: o.rng });
  return tf.add(dense(dropped, p.headW), p.headB) as tf.Tensor2D;
}

/** Unit-length embeddings: z / ‖z‖ (ε-guarded). */
export function l2Normalise(z: tf.Tensor2D): tf.Tensor2D {
  return tf.div(z, tf.sqrt(tf.add(tf.sum(tf.square(z), 1, true), 1e-12))) as tf.Tensor2D;
}
