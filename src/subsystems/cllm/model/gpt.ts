import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../errors.js';
import { embeddingLookup } from '../../../ml/kernels/gather-rows.js';
import { sparseSoftmaxCrossEntropy } from '../../../ml/kernels/sparse-cross-entropy.js';
import { linear } from '../../../ml/layers/linear.js';
import { biasGelu } from '../../../ml/layers/gelu.js';
import { seededDropout, type DropoutOptions } from '../../../ml/layers/dropout.js';
import { windowDropout, type WindowDropout } from './window-dropout.js';
import { normProduct } from '../../../ml/layers/norm-product.js';
import { residualAdd } from '../../../ml/layers/residual-add.js';
import type { GradientSnapshot } from '../../../ml/train-types.js';
import { Rng } from '../../../util/rng.js';
import type { EngineModel } from '../../harness.js';
import { causalSelfAttention, type AttentionOptions, type AttentionWeights } from './attention.js';
import type { GptConfig } from './config.js';
import { GradientDiagnostics } from './diagnostics.js';
import { createGptParams, type BlockParams, type GptParams } from './params.js';

/** `batch` sequences of `time` tokens, row-major; `targets` are the next tokens (the inputs shifted by one). */
export interface TokenBatch {
  readonly batch: number;
  readonly time: number;
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
  /** Training batches: the batch's dropout seed, the same in every replica's share (window-dropout.ts). */
  readonly dropoutSeed?: number;
  /** Each window's index in the whole batch (default 0…batch−1); a replica's share carries its windows' indices. */
  readonly windowKeys?: Int32Array;
}

/** One forward pass's dropout: seeded options (and keyed masks for a training batch with a seed), rows [B·T, C]. */
interface PassDropout {
  readonly seeded: DropoutOptions;
  readonly keyed?: WindowDropout;
  readonly rows: (x: tf.Tensor2D) => tf.Tensor2D;
}

/** The attention sublayer's signature: x is the block's input, normalised by `o.norm` first; tests swap in a broken one to prove the diagnostics catch it. */
export type AttentionFn = (x: tf.Tensor2D, w: AttentionWeights, o: AttentionOptions) => tf.Tensor2D;

export interface GptOptions {
  /** Gradient diagnostics every this many steps (default 100). */
  readonly diagEvery?: number;
  /** Default: causalSelfAttention. */
  readonly attention?: AttentionFn;
}

/**
 * A decoder-only transformer (GPT-2 layout, Radford et al. 2019): token + position embeddings, n_layer pre-LayerNorm
 * blocks x += attn(ln1(x)); x += mlp(ln2(x)), a final LayerNorm and a head tied to the token embedding.
 * Rows are laid out [B·T, C] so every projection is one plain 2-D product (ml/layers/dense.ts).
 */
export class GptModel implements EngineModel<TokenBatch> {
  readonly config: GptConfig;
  readonly params: GptParams;
  readonly #rng: Rng;
  readonly #diagnostics: GradientDiagnostics;
  readonly #attention: AttentionFn;
  #noted: Record<string, number> = {};

  constructor(config: GptConfig, seed: number, o: GptOptions = {}) {
    this.#attention = o.attention ?? causalSelfAttention;
    this.config = config;
    this.params = createGptParams(config, seed);
    this.#rng = new Rng(seed, 2);
    this.#diagnostics = new GradientDiagnostics(this.params.groups, o.diagEvery ?? 100);
  }

  get variables(): readonly tf.Variable[] {
    return this.params.all;
  }

  /**
   * Logits [B·T, V] of the next token at every position. A training batch with a `dropoutSeed` draws keyed masks
   * (window-dropout.ts: a window's masks do not depend on which replica holds it); without one, seeded masks.
   */
  logits(tokens: Int32Array, shape: Pick<TokenBatch, 'batch' | 'time' | 'dropoutSeed' | 'windowKeys'>, training: boolean): tf.Tensor2D {
    const { batch, time } = shape;
    const c = this.config;
    if (tokens.length !== batch * time || time > c.blockSize || time < 1) {
      throw new TrainingError(`cllm: ${tokens.length} tokens for batch ${batch} × time ${time} (block_size ${c.blockSize})`, { code: 'SHAPE' });
    }
    if (shape.windowKeys !== undefined && shape.windowKeys.length !== batch) {
      throw new TrainingError(`cllm: ${shape.windowKeys.length} window keys for a batch of ${batch} windows`, { code: 'SHAPE' });
    }
    const p = this.params;
    const drop = this.#dropout(shape, training);
    const tok = embeddingLookup(p.wte, tokens);
    const pos = tf.slice(p.wpe, [0, 0], [time, c.nEmbd]);
    let x = tf.reshape(tf.add(tf.reshape(tok, [batch, time, c.nEmbd]), pos), [batch * time, c.nEmbd]) as tf.Tensor2D;
    x = drop.rows(x);
    for (const b of p.blocks) x = this.#block(x, b, { batch, time }, drop);
    return normProduct(x, p.lnfGain, p.lnfBias, p.wte, { transposeW: true });
  }

  /** This pass's dropout: keyed by window for a training batch with a seed, seeded from the model's Rng otherwise. */
  #dropout(shape: Pick<TokenBatch, 'batch' | 'time' | 'dropoutSeed' | 'windowKeys'>, training: boolean): PassDropout {
    const seeded = { dropout: this.config.dropout, training, rng: this.#rng };
    if (!training || this.config.dropout === 0 || shape.dropoutSeed === undefined) {
      return { seeded, rows: (x) => seededDropout(x, seeded) };
    }
    const keyed = windowDropout({
      seed: shape.dropoutSeed,
      windowKeys: shape.windowKeys ?? Int32Array.from({ length: shape.batch }, (_, b) => b),
      time: shape.time,
      nHead: this.config.nHead,
    });
    return { seeded, keyed, rows: (x) => keyed.apply(x, 'position', this.config.dropout) };
  }

  #block(x: tf.Tensor2D, b: BlockParams, s: { batch: number; time: number }, drop: PassDropout): tf.Tensor2D {
    const norm = { gain: b.ln1Gain, bias: b.ln1Bias };
    const att = this.#attention(x, b, { ...s, ...drop.seeded, nHead: this.config.nHead, keyed: drop.keyed, norm });
    const h = residualAdd(x, drop.rows(att));
    const fc = biasGelu(normProduct(h, b.ln2Gain, b.ln2Bias, b.wFc), b.bFc);
    const mlp = linear(fc, b.wOut, b.bOut);
    return residualAdd(h, drop.rows(mlp));
  }

  /** Mean cross-entropy of the next token, in nats per token. */
  loss(batch: TokenBatch, training: boolean): tf.Scalar {
    return sparseSoftmaxCrossEntropy(this.logits(batch.tokens, batch, training), batch.targets);
  }

  /** AdamW decays 2-D weights (projections, embeddings), not biases or LayerNorm gains (nanoGPT's rule). */
  decays(variable: tf.Variable): boolean {
    return variable.shape.length === 2;
  }

  inspectGradients(s: GradientSnapshot): void {
    this.#diagnostics.inspect(s);
  }

  /** Adds named values to this epoch's diagnostics (the engine's validation in bits per character). */
  noteEpochMetrics(values: Readonly<Record<string, number>>): void {
    this.#noted = { ...this.#noted, ...values };
  }

  epochDiagnostics(): Readonly<Record<string, number>> {
    const out = { ...this.#diagnostics.takeEpoch(), ...this.#noted };
    this.#noted = {};
    return out;
  }

  dispose(): void {
    for (const v of this.params.all) v.dispose();
  }
}
