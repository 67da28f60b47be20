import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../../../errors.js';
import type { GradientSnapshot } from '../../../ml/train-types.js';
import { PARAM_GROUPS, type ParamGroup } from './config.js';

/**
 * Per-group health checks of a GPT's training, the ones that would have caught a model whose "attention" ignores
 * its weights: weight RMS per group at the first step, and every `every` steps each group's gradient L2 norm and
 * count of non-zero gradient entries. A group whose gradients are all exactly zero is cut off from the loss: that
 * fails training at once with a TrainingError naming the group.
 */
export class GradientDiagnostics {
  readonly #groups: ReadonlyMap<tf.Variable, ParamGroup>;
  readonly #every: number;
  #weights: Record<string, number> | null = null;
  #sums = new Map<ParamGroup, { norm: number; minNonZero: number; n: number }>();

  constructor(groups: ReadonlyMap<tf.Variable, ParamGroup>, every: number) {
    this.#groups = groups;
    this.#every = every;
  }

  inspect(s: GradientSnapshot): void {
    if (s.step % this.#every !== 0) return;
    // A variable the loss does not reach gets no gradient from the tape at all: it counts as all zero.
    const groups = PARAM_GROUPS.filter((g) => [...this.#groups.values()].includes(g));
    const gradsOf = (g: ParamGroup): tf.Tensor[] => s.grads.filter((p) => this.#groups.get(p.variable) === g).map((p) => p.grad);
    const stats = tf.tidy(() => tf.stack(groups.flatMap((g) => {
      const grads = gradsOf(g);
      if (grads.length === 0) return [tf.scalar(0), tf.scalar(0)];
      return [tf.addN(grads.map((x) => tf.sum(tf.square(x)))), tf.addN(grads.map((x) => tf.sum(tf.cast(tf.notEqual(x, 0), 'float32'))))];
    })).dataSync());
    groups.forEach((g, i) => {
      const nonZero = stats[2 * i + 1];
      if (nonZero === 0) throw this.#cutOff(g, s.step);
      const acc = this.#sums.get(g) ?? { norm: 0, minNonZero: Number.POSITIVE_INFINITY, n: 0 };
      this.#sums.set(g, { norm: acc.norm + Math.sqrt(stats[2 * i]), minNonZero: Math.min(acc.minNonZero, nonZero), n: acc.n + 1 });
    });
    if (this.#weights === null) this.#weights = this.#weightRms();
  }

  #cutOff(g: ParamGroup, step: number): TrainingError {
    const names = [...this.#groups].filter(([, grp]) => grp === g).map(([v]) => v.name);
    return new TrainingError(
      `gradient diagnostics, step ${step}: every gradient of the '${g}' group (${names.length} variables: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}) is exactly zero; ` +
        'those weights do not reach the loss, so the model cannot learn them (check the forward pass uses them)',
    );
  }

  #weightRms(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const g of PARAM_GROUPS) {
      const vs = [...this.#groups].filter(([, grp]) => grp === g).map(([v]) => v);
      if (vs.length === 0) continue;
      const size = vs.reduce((n, v) => n + v.size, 0);
      out[`weight_rms_${g}`] = Math.sqrt(tf.tidy(() => tf.addN(vs.map((v) => tf.sum(tf.square(v)))).dataSync()[0]) / size);
    }
    return out;
  }

  /**
   * The epoch's named metrics: `grad_norm_<group>` (mean over the sampled steps), `grad_nonzero_<group>` (fewest
   * non-zero entries seen), and `weight_rms_<group>` once, with the epoch of the first step. Resets the epoch.
   */
  takeEpoch(): Record<string, number> {
    const out: Record<string, number> = { ...(this.#weights ?? {}) };
    this.#weights = this.#weights === null ? null : {};
    for (const [g, s] of this.#sums) {
      out[`grad_norm_${g}`] = s.norm / s.n;
      out[`grad_nonzero_${g}`] = s.minNonZero;
    }
    this.#sums = new Map();
    return out;
  }
}
