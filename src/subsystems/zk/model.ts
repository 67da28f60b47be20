/**
 * The three step models behind one interface, so the training loop, the prover and the auditor need not know which
 * they hold: the parameters the commitment chain carries (full SGD: the weights, bias last; LoRA: the adapters), the
 * reference step (the circuit's arithmetic), the circuit's private inputs, and predictions in floating point for the
 * losses. A LoRA model also holds its frozen base and the base's commitment (a public input of every step).
 */
import { type CircuitShape } from './circuit/shapes.js';
import { weightCommitment, type Hasher } from './commitments.js';
import { InvalidModelStateError } from './errors.js';
import { fromFixed, toFixed, toField } from './fixed-point.js';
import { loraStep } from './lora-reference.js';
import { formatOf, sgdStep, type Batch, type StepTrace } from './sgd-reference.js';
import type { WitnessInput } from './snark/prove.js';

/** A LoRA model's frozen base: weights (bias last), the salt of its commitment, and that commitment. */
export interface FrozenBase {
  readonly weights: readonly bigint[];
  readonly salt: bigint;
  readonly commitment: bigint;
}

export interface StepModel {
  readonly shape: CircuitShape;
  readonly base: FrozenBase | null;
  /** The circuit's arithmetic (sgd-reference.ts, lora-reference.ts). */
  step(params: readonly bigint[], batch: Batch, lr: bigint): StepTrace;
  /** The private inputs that are not the commitments' openings of the batch (field elements). */
  privateInputs(params: readonly bigint[], next: readonly bigint[], p: bigint): Record<string, string | string[]>;
  /** Predictions as reals (for losses and accuracy) from fixed-point parameters. */
  predict(params: readonly bigint[], xf: readonly (readonly number[])[]): number[];
}

/** σ̂ in floating point: ½ + z/4 − z³/108 on [−3, 3], 0 below, 1 above (the circuit's, without its roundings). */
export function sigmoidCubic(z: number): number {
  const c = Math.max(-3, Math.min(3, z));
  return 0.5 + c / 4 - c ** 3 / 108;
}

const fieldOf = (p: bigint) => (v: bigint): string => toField(v, p).toString();

export function fullModel(shape: CircuitShape): StepModel {
  if (shape.model === 'lora') throw new InvalidModelStateError('model', 'fullModel takes a linear or logistic shape');
  const f = formatOf(shape);
  return {
    shape,
    base: null,
    step: (w, b, lr) => sgdStep(shape, { w, x: b.x, y: b.y, lr }),
    privateInputs: (w, next, p) => ({ w: w.map(fieldOf(p)), wNew: next.map(fieldOf(p)) }),
    predict: (w, xf) => {
      const wf = w.map((v) => fromFixed(v, f));
      return xf.map((row) => {
        const z = row.reduce((a, x, j) => a + wf[j] * x, wf[shape.d]);
        return shape.model === 'logistic' ? sigmoidCubic(z) : z;
      });
    },
  };
}

export function loraModel(shape: CircuitShape, base: FrozenBase): StepModel {
  if (shape.model !== 'lora') throw new InvalidModelStateError('model', 'loraModel takes a lora shape');
  const f = formatOf(shape);
  const { d, rank: R } = shape;
  return {
    shape,
    base,
    step: (theta, b, lr) => loraStep(shape, { base: base.weights, theta, x: b.x, y: b.y, lr }),
    privateInputs: (theta, next, p) => ({ base: base.weights.map(fieldOf(p)), saltBase: fieldOf(p)(base.salt), theta: theta.map(fieldOf(p)), thetaNew: next.map(fieldOf(p)) }),
    predict: (theta, xf) => {
      const th = theta.map((v) => fromFixed(v, f));
      const w = base.weights.map((v) => fromFixed(v, f));
      for (let k = 0; k < R; k++) for (let j = 0; j < d; j++) w[j] += th[R * d + k] * th[k * d + j];
      return xf.map((row) => row.reduce((a, x, j) => a + w[j] * x, w[d]));
    },
  };
}

/**
 * The frozen base of a LoRA run: the least-squares line on the first feature alone (fitted here, in floating point,
 * then rounded to fixed point) — standing in for a pre-trained model that the adapters specialise to all features.
 */
export function fitBase(shape: CircuitShape, train: { xf: readonly (readonly number[])[]; yf: readonly number[] }, hasher: Hasher, salt: bigint): FrozenBase {
  const f = formatOf(shape);
  const n = train.yf.length;
  const mx = train.xf.reduce((a, r) => a + r[0], 0) / n;
  const my = train.yf.reduce((a, y) => a + y, 0) / n;
  const sxx = train.xf.reduce((a, r) => a + (r[0] - mx) ** 2, 0);
  const sxy = train.xf.reduce((a, r, i) => a + (r[0] - mx) * (train.yf[i] - my), 0);
  const slope = sxx > 0 ? sxy / sxx : 0;
  const weights = Array.from({ length: shape.d + 1 }, (_, j) => toFixed(j === 0 ? slope : j === shape.d ? my - slope * mx : 0, f, `base[${j}]`));
  return { weights, salt, commitment: weightCommitment(hasher, weights, salt) };
}

/** Starting parameters: zero weights (full SGD); LoRA's A drawn from ±1/√d by `uniform`, and c = 0 (so the model starts as the base). */
export function initialParams(shape: CircuitShape, uniform: () => number): bigint[] {
  const f = formatOf(shape);
  if (shape.model !== 'lora') return new Array<bigint>(shape.d + 1).fill(0n);
  const a = Array.from({ length: shape.rank * shape.d }, (_, k) => toFixed((2 * uniform() - 1) / Math.sqrt(shape.d), f, `adapters[${k}]`));
  return [...a, ...new Array<bigint>(shape.rank).fill(0n)];
}
