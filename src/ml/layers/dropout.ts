import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.js';

export interface DropoutOptions {
  /** Probability of zeroing a unit; 0 turns dropout off. */
  readonly dropout: number;
  /** Dropout applies only while training. */
  readonly training: boolean;
  /** Draws one seed per call; seeded, so a run repeats exactly. */
  readonly rng: Rng;
}

/** Dropout with a fresh seed from `rng` (tfjs' own dropout would reuse one seed, i.e. one mask, every step). */
export function seededDropout<T extends tf.Tensor>(x: T, opts: DropoutOptions): T {
  if (!opts.training || opts.dropout === 0) return x;
  return tf.dropout(x, opts.dropout, undefined, opts.rng.nextUint32()) as T;
}
