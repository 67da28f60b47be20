/**
 * The dense retriever as the shared training loop sees it: variables, the loss of a triple batch, which variables
 * AdamW decays, the learning rate of the encoder relative to the head (0 when the base is frozen), and each step's
 * loss terms and distances for the per-step series.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../util/rng.js';
import type { EngineModel } from '../../harness.js';
import type { TextBatch, TripleBatch } from './batch.js';
import { createEncoderParams, encodeRaw, encodeRawAll, l2Normalise, type EncoderConfig, type EncoderParams } from './encoder.js';
import { retrievalLoss, type LossWeights } from './loss.js';

export interface RetrieverOptions extends LossWeights {
  /** Encoder learning rate ÷ head learning rate; 0 freezes the encoder (freeze_base). */
  readonly baseLrScale: number;
}

/** Names of the per-step series, in the order `stepDiagnostics` fills them. */
export const STEP_SERIES = ['step_loss_total', 'step_loss_contrastive', 'step_loss_isotropy', 'step_loss_reg', 'step_pos_distance', 'step_neg_distance', 'step_emb_std'] as const;

export class DenseRetriever implements EngineModel<TripleBatch> {
  readonly config: EncoderConfig;
  readonly params: EncoderParams;
  readonly seed: number;
  readonly #o: RetrieverOptions;
  readonly #rng: Rng;
  readonly #base: ReadonlySet<tf.Variable>;
  #step: Record<string, number> = {};

  constructor(config: EncoderConfig, seed: number, o: RetrieverOptions) {
    this.config = config;
    this.seed = seed;
    this.params = createEncoderParams(config, seed);
    this.#o = o;
    this.#rng = new Rng(seed, 2);
    this.#base = new Set(this.params.base);
  }

  get variables(): readonly tf.Variable[] {
    return this.params.all;
  }

  /** Unit embeddings [n, outputDim] of a padded batch (no dropout). */
  embed(b: TextBatch): tf.Tensor2D {
    return l2Normalise(encodeRaw(this.params, this.config, b, { training: false, rng: this.#rng }));
  }

  loss(batch: TripleBatch, training: boolean): tf.Scalar {
    const o = { training, rng: this.#rng };
    const [zq, zp, zn] = encodeRawAll(this.params, this.config, [batch.queries, batch.positives, batch.negatives], o);
    const regularised = [...this.params.conv.map((l) => l.w), this.params.headW];
    const t = retrievalLoss({ q: l2Normalise(zq), p: l2Normalise(zp), n: l2Normalise(zn), raw: tf.concat([zq, zp, zn], 0) as tf.Tensor2D, regularised }, this.#o);
    if (training) {
      const values = tf.stack([t.total, t.contrastive, t.isotropy, t.reg, t.posDistance, t.negDistance, t.embStd]).dataSync();
      this.#step = Object.fromEntries(STEP_SERIES.map((name, i) => [name, values[i]]));
    }
    return t.total;
  }

  /** AdamW decays the matrices of the convolutions and the head, not the word or n-gram embeddings or term weights (sparse rows) or biases. */
  decays(variable: tf.Variable): boolean {
    return variable.shape.length === 2 && variable !== this.params.embedding && variable !== this.params.termWeight;
  }

  lrScale(variable: tf.Variable): number {
    return this.#base.has(variable) ? this.#o.baseLrScale : 1;
  }

  stepDiagnostics(): Readonly<Record<string, number>> {
    const out = this.#step;
    this.#step = {};
    return out;
  }

  dispose(): void {
    for (const v of this.params.all) v.dispose();
  }
}
