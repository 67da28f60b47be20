/**
 * The dense retriever's text encoder, trained from scratch: token embeddings (a word's own row plus, with subwords
 * on, the mean of its hashed character n-gram rows, fastText-style: dataset/subwords.ts), `encoderLayers` residual width-3
 * convolutions with ReLU (a token sees its neighbours; Kim 2014's CNN encoder without max-pooling), masked mean
 * pooling weighted by a learned per-word weight (SIF-initialised), then the projection head to `outputDim`. Rows are laid out [n·T, C] so every product is one plain 2-D
 * matMul (ml/layers/dense.ts), XNNPACK's fast path on wasm. The base is the embeddings and convolutions; the head
 * is one affine map; similarities use the L2-normalised head output.
 */
import * as tf from '@tensorflow/tfjs-core';
import { embeddingBag } from '../../../ml/kernels/embedding-bag.js';
import { embeddingLookup } from '../../../ml/kernels/gather-rows.js';
import { dense } from '../../../ml/layers/dense.js';
import { seededDropout } from '../../../ml/layers/dropout.js';
import { VariableFactory } from '../../../ml/layers/init.js';
import type { Rng } from '../../../util/rng.js';
import { formBags, type SubwordTable } from '../dataset/subwords.js';
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
  /** [vocabSize + buckets, embedDim]: word rows, then (with subwords on) the hashed n-gram rows. */
  readonly embedding: V2;
  /** [vocabSize, 1]: each token's log weight in the pooled mean (learned; starts at the SIF weight). */
  readonly termWeight: V2;
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
 * token's vector is its word row plus the mean of its n-gram rows); Glorot elsewhere. The n-gram rows extend the
 * word table, so a run without subwords has the same variables as before them.
 */
export function createEncoderParams(c: EncoderConfig, seed: number): EncoderParams {
  const f = new VariableFactory(seed, { prefix: 'retriever', stream: 1 });
  const rows = c.vocabSize + (c.subwords?.config.buckets ?? 0);
  const embedding = f.normal('embedding', [rows, c.embedDim], 1 / Math.sqrt(c.embedDim)) as V2;
  const termWeight = tf.variable(tf.tensor2d(c.termLogWeights, [c.vocabSize, 1]), true, `${embedding.name}/term-weight`) as V2;
  const conv = Array.from({ length: c.encoderLayers }, (_, l) => ({ w: f.glorot(`conv${l}/w`, [3 * c.embedDim, c.embedDim]) as V2, b: f.constant(`conv${l}/b`, c.embedDim, 0) as V1 }));
  const headW = f.glorot('head/w', [c.embedDim, c.outputDim]) as V2;
  const headB = f.constant('head/b', c.outputDim, 0) as V1;
  const base = [embedding, termWeight, ...conv.flatMap((l) => [l.w, l.b])];
  const head = [headW, headB];
  return { embedding, termWeight, conv, headW, headB, base, head, all: [...base, ...head] };
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

/** Pooled head outputs of one batch from its token vectors [n·T, D] and log pooling weights [n·T, 1]. */
function poolBatch(p: EncoderParams, c: EncoderConfig, b: TextBatch, tokens: tf.Tensor2D, logWeights: tf.Tensor2D, o: EncodeOptions): tf.Tensor2D {
  const { n, len } = b;
  const mask = tf.tensor3d(b.mask, [n, len, 1]);
  let x = tf.mul(tf.reshape(tokens, [n, len, c.embedDim]), mask) as tf.Tensor3D;
  for (const layer of p.conv) {
    const windows = tf.reshape(tf.concat([shift(x, 1), x, shift(x, -1)], 2), [n * len, 3 * c.embedDim]) as tf.Tensor2D;
    const h = tf.relu(tf.add(dense(windows, layer.w), layer.b));
    x = tf.mul(tf.add(x, tf.reshape(h, [n, len, c.embedDim])), mask) as tf.Tensor3D;
  }
  // Weighted mean pooling: weights exp(termWeight[token]) on real tokens (SIF-initialised, learned).
  const weights = tf.mul(tf.reshape(tf.exp(logWeights), [n, len, 1]), mask);
  const pooled = tf.div(tf.sum(tf.mul(x, weights), 1), tf.add(tf.sum(weights, 1), 1e-6)) as tf.Tensor2D;
  const dropped = seededDropout(pooled, { dropout: c.dropout, training: o.training, rng: o.rng });
  return tf.add(dense(dropped, p.headW), p.headB) as tf.Tensor2D;
}

/**
 * Head outputs z [n, outputDim] of each batch, before normalisation (what the isotropy term and the std diagnostics
 * read). The token vectors of all the batches come from one embedding-bag read (kernels/embedding-bag.ts: each
 * distinct word's word row plus mean n-gram row, summed once), so a training step pays for one gradient over the
 * table, not one per batch.
 */
export function encodeRawAll(p: EncoderParams, c: EncoderConfig, batches: readonly TextBatch[], o: EncodeOptions): tf.Tensor2D[] {
  const sizes = batches.map((b) => b.ids.length);
  const ids = new Int32Array(sizes.reduce((a, n) => a + n, 0));
  let at = 0;
  for (const b of batches) {
    ids.set(b.ids, at);
    at += b.ids.length;
  }
  // Dropout on the token embeddings too (word-level noise): a small corpus is otherwise memorised word by word.
  const tokens = seededDropout(embeddingBag(p.embedding, formBags(ids, c)), { dropout: c.dropout, training: o.training, rng: o.rng });
  const logWeights = embeddingLookup(p.termWeight, wordIds(ids, c.vocabSize));
  const tokenParts = batches.length === 1 ? [tokens] : tf.split(tokens, sizes, 0);
  const weightParts = batches.length === 1 ? [logWeights] : tf.split(logWeights, sizes, 0);
  return batches.map((b, i) => poolBatch(p, c, b, tokenParts[i] as tf.Tensor2D, weightParts[i] as tf.Tensor2D, o));
}

/** Head outputs z [n, outputDim] of one batch before normalisation. */
export function encodeRaw(p: EncoderParams, c: EncoderConfig, b: TextBatch, o: EncodeOptions): tf.Tensor2D {
  return encodeRawAll(p, c, [b], o)[0];
}

/** Unit-length embeddings: z / ‖z‖ (ε-guarded). */
export function l2Normalise(z: tf.Tensor2D): tf.Tensor2D {
  return tf.div(z, tf.sqrt(tf.add(tf.sum(tf.square(z), 1, true), 1e-12))) as tf.Tensor2D;
}
