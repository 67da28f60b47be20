import type * as tf from '@tensorflow/tfjs-core';
import { keyedDropout, mix32 } from '../../../ml/layers/keyed-dropout.js';

/**
 * The keyed dropout masks of one cllm training forward pass (ml/layers/keyed-dropout.ts): op k's seed is
 * mix(batch seed, k), and rows are keyed by the window's index in the whole batch, so a window draws the same masks
 * in a single worker's batch and in a data-parallel replica's share of it. tfjs' seeded dropout lays a mask out by
 * position, so every replica's window i drew the same mask and none drew the single worker's.
 */
export class WindowDropout {
  readonly #rate: number;
  readonly #seed: number;
  readonly #windowKeys: Int32Array;
  readonly #time: number;
  #op = 0;
  #positionKeys: Int32Array | null = null;
  readonly #headKeys = new Map<number, Int32Array>();

  /** `windowKeys[b]`: window b's index in the whole batch; `time`: positions per window. */
  constructor(o: { readonly rate: number; readonly seed: number; readonly windowKeys: Int32Array; readonly time: number }) {
    this.#rate = o.rate;
    this.#seed = o.seed;
    this.#windowKeys = o.windowKeys;
    this.#time = o.time;
  }

  /** Activations [B·T, C]: row (b, t) keyed window·T + t. */
  positions<T extends tf.Tensor>(x: T): T {
    this.#positionKeys ??= Int32Array.from({ length: this.#windowKeys.length * this.#time }, (_, r) => this.#windowKeys[Math.floor(r / this.#time)] * this.#time + (r % this.#time));
    return this.#apply(x, this.#positionKeys);
  }

  /** Attention probabilities [B·H, T, T]: row (b, h) keyed window·H + h. */
  heads<T extends tf.Tensor>(x: T, nHead: number): T {
    let keys = this.#headKeys.get(nHead);
    if (keys === undefined) {
      keys = Int32Array.from({ length: this.#windowKeys.length * nHead }, (_, r) => this.#windowKeys[Math.floor(r / nHead)] * nHead + (r % nHead));
      this.#headKeys.set(nHead, keys);
    }
    return this.#apply(x, keys);
  }

  #apply<T extends tf.Tensor>(x: T, rowKeys: Int32Array): T {
    return keyedDropout(x, { rate: this.#rate, seed: mix32(this.#seed, this.#op++), rowKeys });
  }
}
