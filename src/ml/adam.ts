import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import { adamUpdateFused, type AdamStep, type HostMoments } from './kernels/adam-update.js';

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

/** AdamOptions with every default filled in (all but `fused`, which only the per-variable update has). */
export interface ResolvedAdam {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly decays: (variable: Variable) => boolean;
  readonly lrScale: (variable: Variable) => number;
}

export function resolveAdam(o: AdamOptions = {}): ResolvedAdam {
  return {
    beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.epsilon ?? 1e-8, weightDecay: o.weightDecay ?? 0,
    decays: o.decays ?? (() => true), lrScale: o.lrScale ?? (() => 1),
  };
}

/**
 * Step `t`'s (1-based) bias-corrected step size lr·√(1−β2ᵗ)/(1−β1ᵗ) (Kingma & Ba, §2, the "efficient" ordering).
 * One function for the per-variable and the sharded update, so both compute the same bits.
 */
export function adamStepSize(r: ResolvedAdam, lr: number, t: number): number {
  return (lr * Math.sqrt(1 - r.beta2 ** t)) / (1 - r.beta1 ** t);
}

/** The fused pass's scalars for one variable whose rate is `scale` × the schedule's (`scale` ≠ 0). */
export function adamStepOf(r: ResolvedAdam, variable: Variable, o: { lr: number; stepSize: number; scale: number }): AdamStep {
  const lr = o.lr * o.scale;
  const decay = r.weightDecay > 0 && r.decays(variable) ? lr * r.weightDecay : 0;
  return { beta1: r.beta1, beta2: r.beta2, epsilon: r.epsilon, stepSize: o.stepSize * o.scale, decay };
}

/**
 * Adam over tf ops, with the learning rate passed at every step so a schedule can drive it exactly
 * (tfjs's optimizer fixes the rate at construction). Moment variables are created lazily per variable and
 * freed by `dispose`.
 */
export class Adam {
  readonly #tf: Tf;
  readonly #o: ResolvedAdam;
  readonly #fused: boolean;
  readonly #moments = new Map<Variable, { m: Variable; v: Variable }>();
  readonly #hostMoments = new Map<Variable, HostMoments>();
  #t = 0;

  constructor(tf: Tf, o: AdamOptions = {}) {
    this.#tf = tf;
    this.#o = resolveAdam(o);
    this.#fused = o.fused ?? true;
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
    const r = this.#o;
    this.#t += 1;
    const stepSize = adamStepSize(r, lr, this.#t);
    const scaled = pairs.map((p) => ({ ...p, scale: r.lrScale(p.variable) })).filter((p) => p.scale !== 0);
    const rest = this.#fused ? scaled.filter((p) => !this.#applyFused(p.variable, p.grad, adamStepOf(r, p.variable, { lr, stepSize, scale: p.scale }))) : scaled;
    if (rest.length === 0) return;
    tf.tidy(() => {
      for (const { variable, grad, scale } of rest) {
        const { m, v } = this.#momentsOf(variable);
        m.assign(tf.add(tf.mul(m, r.beta1), tf.mul(grad, 1 - r.beta1)));
        v.assign(tf.add(tf.mul(v, r.beta2), tf.mul(tf.square(grad), 1 - r.beta2)));
        let next = tf.sub(variable, tf.mul(tf.div(m, tf.add(tf.sqrt(v), r.epsilon)), stepSize * scale));
        if (r.weightDecay > 0 && r.decays(variable)) next = tf.sub(next, tf.mul(variable, lr * scale * r.weightDecay));
        variable.assign(next);
      }
    });
  }

  #applyFused(variable: Variable, grad: Tensor, step: AdamStep): boolean {
    if (this.#moments.has(variable)) return false; // began on the tf-op path (another backend): stay there
    let moments = this.#hostMoments.get(variable);
    if (moments === undefined) {
      if (this.#tf.getBackend() !== 'wasm') return false;
      moments = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
      this.#hostMoments.set(variable, moments);
    }
    return adamUpdateFused(this.#tf, variable, grad, moments, step);
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
