import type { EarlyStoppingOptions } from './train-types.js';

/**
 * Patience-based early stopping on a loss to minimise, with Keras's semantics: a value counts as an
 * improvement only when it is below the best so far by more than `minDelta`, and training stops after
 * `patience` epochs in a row without one.
 */
export class EarlyStopping {
  readonly #patience: number;
  readonly #minDelta: number;
  #best = Number.POSITIVE_INFINITY;
  #bestEpoch = -1;
  #wait = 0;

  constructor(o: EarlyStoppingOptions) {
    this.#patience = o.patience;
    this.#minDelta = o.minDelta ?? 0;
  }

  /** Record an epoch's validation loss; returns whether it is the new best. */
  update(epoch: number, loss: number): boolean {
    if (loss < this.#best - this.#minDelta) {
      this.#best = loss;
      this.#bestEpoch = epoch;
      this.#wait = 0;
      return true;
    }
    this.#wait += 1;
    return false;
  }

  get shouldStop(): boolean {
    return this.#wait >= this.#patience;
  }

  get best(): number {
    return this.#best;
  }

  get bestEpoch(): number {
    return this.#bestEpoch;
  }
}
