import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../util/rng.js';
import type { GptModel } from './model/gpt.js';

export interface SampleOptions {
  readonly tokens: number;
  /** Softmax temperature; 0 takes the most likely token (greedy). */
  readonly temperature: number;
  /** Sample among the k most likely tokens only; null: all. */
  readonly topK: number | null;
  readonly seed: number;
}

/** One draw from softmax(logits / T) restricted to the top k, on the host (V is a few hundred at most). */
export function sampleToken(logits: Float32Array, o: Omit<SampleOptions, 'tokens' | 'seed'>, rng: Rng): number {
  const order = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b);
  if (o.temperature === 0) return order[0];
  const keep = order.slice(0, o.topK ?? order.length);
  const max = logits[keep[0]];
  const weights = keep.map((i) => Math.exp((logits[i] - max) / o.temperature));
  return keep[rng.choice(weights)];
}

/**
 * `o.tokens` new tokens after `prompt`, each drawn from the model's next-token distribution given the last
 * block_size tokens (Rng(seed): the same seed, prompt and weights give the same text).
 * @example generateTokens(model, codec.encode('Call me', 'prompt'), { tokens: 200, temperature: 0.8, topK: 40, seed: 1 })
 */
export function generateTokens(model: GptModel, prompt: ArrayLike<number>, o: SampleOptions): number[] {
  if (prompt.length === 0) throw new ConfigError('--prompt: must hold at least one character', { code: 'USAGE' });
  if (!(Number.isFinite(o.temperature) && o.temperature >= 0)) throw new ConfigError(`--temperature: expected a number ≥ 0, got ${o.temperature}`, { code: 'USAGE' });
  if (o.topK !== null && !(Number.isInteger(o.topK) && o.topK >= 1)) throw new ConfigError(`--top-k: expected a positive integer, got ${o.topK}`, { code: 'USAGE' });
  const rng = new Rng(o.seed, 4);
  const ids = Array.from(prompt);
  const out: number[] = [];
  for (let i = 0; i < o.tokens; i++) {
    const ctx = Int32Array.from(ids.slice(-model.config.blockSize));
    const last = tf.tidy(() => {
      const logits = model.logits(ctx, { batch: 1, time: ctx.length }, false);
      return tf.slice(logits, [ctx.length - 1, 0], [1, logits.shape[1]]).dataSync() as Float32Array;
    });
    const next = sampleToken(last, o, rng);
    ids.push(next);
    out.push(next);
  }
  return out;
}
