/**
 * The encoder's fastText-style subword features: character n-grams of `<word>`, hashed by 32-bit FNV-1a into
 * buckets, pinned on hand-computed cases; words outside the vocabulary keep their own ids (and so their n-grams);
 * a token's vector is its word row plus the mean of its n-gram rows, and training moves the n-gram rows it read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../../src/errors.js';
import { initBackend } from '../../../src/ml/backend.js';
import { charNgrams, fnv1a32, formBags, ngramBuckets, SubwordTable } from '../../../src/subsystems/retrieval/dataset/subwords.js';
import { buildVocab, Tokenizer, UNK_ID } from '../../../src/subsystems/retrieval/dataset/vocab.js';
import { parseHyperparams } from '../../../src/subsystems/retrieval/hyperparams.js';
import { padBatch } from '../../../src/subsystems/retrieval/model/batch.js';
import { encodeRaw } from '../../../src/subsystems/retrieval/model/encoder.js';
import { DenseRetriever } from '../../../src/subsystems/retrieval/model/retriever.js';
import { Rng } from '../../../src/util/rng.js';
import { TINY_PARAMS } from './fixtures.js';

test('the n-grams of "cat" for n = 3..4 are <ca, <cat, cat, cat>, at>; a one-letter word is <a> alone', () => {
  assert.deepEqual(charNgrams('cat', 3, 4), ['<ca', '<cat', 'cat', 'cat>', 'at>']);
  assert.deepEqual(charNgrams('cat', 3, 5), ['<ca', '<cat', '<cat>', 'cat', 'cat>', 'at>']);
  assert.deepEqual(charNgrams('a', 3, 5), ['<a>']);
  assert.deepEqual(charNgrams('été', 3, 3), ['<ét', 'été', 'té>'], 'characters are code points');
});

test('FNV-1a 32 worked by hand: "a" → 0xe40c292c; buckets are the hash mod the bucket count', () => {
  // h = 2166136261; h = (h ^ 0x61) · 16777619 mod 2³² = 3826002220 = 0xe40c292c (the published FNV-1a test vector).
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32(''), 2166136261);
  assert.equal(fnv1a32('<ca'), 1066916747);
  // '<ca' 1066916747, '<cat' 453988973, 'cat' 108289031, 'cat>' 1647127995, 'at>' 3848351106, each mod 1000.
  assert.deepEqual(Array.from(ngramBuckets('cat', { minN: 3, maxN: 4, buckets: 1000 })), [747, 973, 31, 995, 106]);
});

test('a word outside the vocabulary gets its own id, the same each time; the word embedding reads it as unknown', () => {
  const tok = new Tokenizer(buildVocab(['the whale the sea']));
  const a = tok.encode('the whales', 8);
  const b = tok.encode('whales and the whale', 8);
  assert.equal(a[1], b[0], 'an out-of-vocabulary word keeps its id');
  assert.ok(a[1] >= tok.size, 'out-of-vocabulary ids start at the vocabulary size');
  assert.notEqual(b[1], b[0], 'two unknown words get two ids');
  assert.equal(tok.formOf(a[1]), 'whales');
  assert.equal(tok.formOf(UNK_ID), '');
});

test('a batch reads one bag per distinct word: its word row, then its n-gram rows at vocabSize + bucket, each 1 / count', () => {
  const tok = new Tokenizer(buildVocab(['cat cat a']));
  const table = new SubwordTable({ minN: 3, maxN: 4, buckets: 1000 }, (id) => tok.formOf(id));
  const ids = Int32Array.from([...tok.encode('cat a cat dog', 4), 0]);
  const v = tok.size; // 4: padding, unknown, cat, a
  const b = formBags(ids, { vocabSize: v, subwords: table });
  assert.deepEqual(Array.from(b.bagOf), [0, 1, 0, 2, 3], 'cat, a, dog (out of vocabulary) and padding');
  // "<a>" hashes to 2359087600 (bucket 600); dog's n-grams are hashed the same way, behind the unknown word's row.
  const dog = Array.from(ngramBuckets('dog', table.config), (g) => v + g);
  assert.deepEqual(Array.from(b.rows), [2, v + 747, v + 973, v + 31, v + 995, v + 106, 3, v + 600, UNK_ID, ...dog]);
  assert.deepEqual(Array.from(b.start), [0, 6, 8, 9 + dog.length, 9 + dog.length], 'padding is an empty bag');
  assert.deepEqual(Array.from(b.scale), [1, 0.2, 0.2, 0.2, 0.2, 0.2, 1, 1, 1, ...dog.map(() => 1 / dog.length)].map(Math.fround));
  const plain = formBags(ids, { vocabSize: v, subwords: null });
  assert.deepEqual(Array.from(plain.rows), [2, 3, UNK_ID], 'subwords off: word rows alone');
});

test('subword_buckets: absent means off; a negative count or max_n < min_n names the key', () => {
  const { subword_buckets: _b, subword_min_n: _lo, subword_max_n: _hi, ...old } = { subword_buckets: 1, subword_min_n: 1, subword_max_n: 1, ...TINY_PARAMS };
  assert.equal(parseHyperparams(old).subwordBuckets, 0);
  assert.throws(() => parseHyperparams({ ...TINY_PARAMS, subword_buckets: -1 }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('subword_buckets:'));
  assert.throws(() => parseHyperparams({ ...TINY_PARAMS, subword_buckets: 64, subword_min_n: 4, subword_max_n: 3 }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('subword_max_n:'));
});

test('a token is its word row plus the mean of its n-gram rows, and the gradient reaches exactly the rows it read', async () => {
  await initBackend('wasm');
  const tok = new Tokenizer(buildVocab(['the whale']));
  const table = new SubwordTable({ minN: 3, maxN: 4, buckets: 64 }, (id) => tok.formOf(id));
  const v = tok.size;
  const model = new DenseRetriever({ vocabSize: v, termLogWeights: new Float32Array(v), embedDim: 4, encoderLayers: 0, outputDim: 4, dropout: 0, subwords: table }, 3, { temperature: 0.1, isotropyWeight: 0, regWeight: 0, baseLrScale: 1 });
  try {
    const p = model.params;
    assert.deepEqual(p.embedding.shape, [v + 64, 4]);
    const ids = tok.encode('whales', 4); // out of vocabulary: the unknown word's row plus its n-grams
    const grams = Array.from(ngramBuckets('whales', table.config), (g) => v + g);
    const expected = tf.tidy(() => {
      const token = tf.add(tf.gather(p.embedding, [UNK_ID]), tf.mean(tf.gather(p.embedding, grams), 0, true));
      return tf.add(tf.matMul(token, p.headW), p.headB).dataSync();
    });
    const encode = (embedding: tf.Tensor): tf.Tensor => encodeRaw({ ...p, embedding: embedding as tf.Variable<tf.Rank.R2> }, model.config, padBatch([ids]), { training: false, rng: new Rng(0) });
    const got = tf.tidy(() => encode(p.embedding).dataSync());
    Array.from(got).forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-5, `output ${i}: ${x} vs ${expected[i]}`));
    const grad = tf.tidy(() => tf.grad((e: tf.Tensor) => tf.sum(encode(e)))(p.embedding).abs().sum(1).dataSync());
    const touched = Array.from(grad).flatMap((x, i) => (x > 0 ? [i] : []));
    assert.deepEqual(touched, [UNK_ID, ...new Set(grams)].sort((a, b) => a - b));
  } finally {
    model.dispose();
  }
});
