import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import { adamUpdateFused, type HostMoments } from './kernels/adam-update.js';

/** Adam hyperparameters (Kingma & Ba 2015) with optional decoupled weight decay (AdamW, Loshchilov & Hutter 2019). */
export interface AdamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Decoupled weight decay λ: w ← w − lr·λ·w, applied beside the Adam step (0 = plain Adam). */
  readonly weightDecay?: number;
  /** Which variables the decay applies to (GPT practice: 2-D weights only, not biases or norms); absent: all. */
  readonly decays?: (variable: Variable) => boolean;
  /**
   * On wasm, update each variable in one fused pass with host-side moments (kernels/adam-update.ts), running no
   * kernel (default true); false keeps the tf-op update (the reference the fused one is tested against).
   */
  readonly fused?: boolean;
  /**
   * A per-variable multiple of the learning rate (a retriever's encoder below its projection head); 0 freezes the
   * variable (no moment, no decay). Absent: 1 for all.
   */
  readonly lrScale?: (variable: Variable) => number;
}

/**
 * Adam over tf ops, with the learning rate passed at every step so a schedule can drive it exactly
 * (tfjs's optimizer fixes the rate at construction). Moment variables are created lazily per variable and
 * freed by `dispose`.
 */
export class Adam {
  readonly #tf: Tf;
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #epsilon: number;
  readonly #weightDecay: number;
  readonly #decays: (variable: Variable) => boolean;
  readonly #fused: boolean;
  readonly #lrScale: (variable: Variable) => number;
  readonly #moments = new Map<Variable, { m: Variable; v: Variable }>();
  readonly #hostMoments = new Map<Variable, HostMoments>();
  #t = 0;

  constructor(tf: Tf, o: AdamOptions = {}) {
    this.#tf = tf;
    this.#beta1 = o.beta1 ?? 0.9;
    this.#beta2 = o.beta2 ?? 0.999;
    this.#epsilon = o.epsilon ?? 1e-8;
    this.#weightDecay = o.weightDecay ?? 0;
    this.#decays = o.decays ?? (() => true);
    this.#fused = o.fused ?? true;
    this.#lrScale = o.lrScale ?? (() => 1);
  }

  /** Optimizer steps taken so far. */
  get steps(): number {
    return this.#t;
  }

  /**
   * One update: m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; w ← w − lr · m̂ / (√v̂ + ε), with the bias
   * corrections m̂ = m / (1−β1ᵗ), v̂ = v / (1−β2ᵗ) folded into the step size (Kingma & Ba, §2, the
   * "efficient" ordering). Variables without a gradient are left untouched.
   */
  apply(pairs: ReadonlyArray<{ variable: Variable; grad: Tensor }>, lr: number): void {
    const tf = this.#tf;
    this.#t += 1;
    const stepSize = (lr * Math.sqrt(1 - this.#beta2 ** this.#t)) / (1 - this.#beta1 ** this.#t);
    const scaled = pairs.map((p) => ({ ...p, scale: this.#lrScale(p.variable) })).filter((p) => p.scale !== 0);
    const rest = this.#fused ? scaled.filter((p) => !this.#applyFused(p.variable, p.grad, lr * p.scale, stepSize * p.scale)) : scaled;
    if (rest.length === 0) return;
    tf.tidy(() => {
      for (const { variable, grad, scale } of rest) {
        const { m, v } = this.#momentsOf(variable);
        m.assign(tf.add(tf.mul(m, this.#beta1), tf.mul(grad, 1 - this.#beta1)));
        v.assign(tf.add(tf.mul(v, this.#beta2), tf.mul(tf.square(grad), 1 - this.#beta2)));
        let next = tf.sub(variable, tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.#epsilon)), stepSize * scale));
        if (this.#weightDecay > 0 && this.#decays(variable)) next = tf.sub(next, tf.mul(variable, lr * scale * this.#weightDecay));
        variable.assign(next);
      }
    });
  }

  #applyFused(variable: Variable, grad: Tensor, lr: number, stepSize: number): boolean {
    if (this.#moments.has(variable)) return false; // began on the tf-op path (another backend): stay there
    let moments = this.#hostMoments.get(variable);
    if (moments === undefined) {
      if (this.#tf.getBackend() !== 'wasm') return false;
      moments = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
      this.#hostMoments.set(variable, moments);
    }
    const decay = this.#weightDecay > 0 && this.#decays(variable) ? lr * this.#weightDecay : 0;
    return adamUpdateFused(this.#tf, variable, grad, moments, { beta1: this.#beta1, beta2: this.#beta2, epsilon: this.#epsilon, stepSize, decay });
  }

  #momentsOf(variable: Variable): { m: Variable; v: Variable } {
    let s = this.#moments.get(variable);
    if (s === undefined) {
      // Created outside any tidy scope's reach: tf.variable registers with the engine, not the scope.
      s = { m: this.#tf.variable(this.#tf.zerosLike(variable), false), v: this.#tf.variable(this.#tf.zerosLike(variable), false) };
      this.#moments.set(variable, s);
    }
    return s;
  }

  /** Free the moment variables. */
  dispose(): void {
    for (const { m, v } of this.#moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.#moments.clear();
    this.#hostMoments.clear();
  }
}
