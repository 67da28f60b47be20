/**
 * One SGD step of linear regression in exactly the circuit's arithmetic (circuit/sgd-linear-circom.ts), on BigInts.
 * Training runs this, so the model that is trained is the model that is proved; a test checks it against the
 * circuit's witness bit for bit. Floor division by 2^K is BigInt's arithmetic right shift, as the circuit's
 * SignedShift proves it.
 */
import { valueBits, type CircuitShape } from './circuit/sgd-linear-circom.js';
import { InvalidModelStateError } from './errors.js';
import { checkRange, type FixedFormat } from './fixed-point.js';

/** A step's private data: weights (bias last), a batch of rows, and the learning rate, all fixed point. */
export interface StepData {
  readonly w: readonly bigint[];
  readonly x: readonly (readonly bigint[])[];
  readonly y: readonly bigint[];
  readonly lr: bigint;
}

/** The step's result and the intermediate values the circuit computes. */
export interface StepTrace {
  readonly wNew: readonly bigint[];
  /** Predictions floor((w·x + b·2^F) / 2^F) per row. */
  readonly pred: readonly bigint[];
  /** Mean gradients at scale 2^F (bias last). */
  readonly grad: readonly bigint[];
  /** floor(lr·grad / 2^F): what each weight moves by. */
  readonly step: readonly bigint[];
}

export function formatOf(shape: CircuitShape): FixedFormat {
  return { fracBits: shape.fracBits, valueBits: valueBits(shape) };
}

function ceilLog2(n: number): number {
  let r = 0;
  while (2 ** r < n) r++;
  return r;
}

/** Bit widths of the three rescalings (M1, M2, M3 in the circuit). */
export function shiftBits(shape: CircuitShape): { m1: number; m2: number; m3: number } {
  const vb = valueBits(shape);
  const lb = Math.log2(shape.batch);
  const m1 = 2 * vb + ceilLog2(shape.d + 1);
  const m2 = m1 - shape.fracBits + 1 + vb + lb;
  return { m1, m2, m3: vb + m2 - shape.fracBits - lb };
}

function shift(v: bigint, k: number, m: number, field: string): bigint {
  const bound = 1n << BigInt(m);
  if (v < -bound || v >= bound) throw new InvalidModelStateError(field, `intermediate ${v} overflows the circuit's ${m + 1}-bit range`);
  return v >> BigInt(k);
}

/** Checks every value the circuit range-checks; InvalidModelStateError naming the first one out of range. */
export function checkStepData(shape: CircuitShape, s: StepData): void {
  const f = formatOf(shape);
  if (s.w.length !== shape.d + 1 || s.x.length !== shape.batch || s.y.length !== shape.batch || s.x.some((r) => r.length !== shape.d)) {
    throw new InvalidModelStateError('step', `expected ${shape.d + 1} weights and ${shape.batch} rows of ${shape.d} features`);
  }
  checkRange(s.lr, f, 'learning_rate');
  s.w.forEach((v, j) => checkRange(v, f, j === shape.d ? 'weights.bias' : `weights[${j}]`));
  s.x.forEach((row, i) => row.forEach((v, j) => checkRange(v, f, `batch.x[${i}][${j}]`)));
  s.y.forEach((v, i) => checkRange(v, f, `batch.y[${i}]`));
}

/** The step the circuit proves; InvalidModelStateError when an input or the new weights leave the range. */
export function sgdStep(shape: CircuitShape, s: StepData): StepTrace {
  checkStepData(shape, s);
  const { d, batch, fracBits: fb } = shape;
  const F = BigInt(fb);
  const lb = Math.log2(batch);
  const { m1, m2, m3 } = shiftBits(shape);
  const pred = s.x.map((row, i) => shift(row.reduce((acc, xij, j) => acc + s.w[j] * xij, s.w[d] << F), fb, m1, `pred[${i}]`));
  const e = pred.map((p, i) => p - s.y[i]);
  const grad: bigint[] = [];
  for (let j = 0; j <= d; j++) {
    const g = e.reduce((acc, ei, i) => acc + (j < d ? ei * s.x[i][j] : ei << F), 0n);
    grad.push(shift(g, fb + lb, m2, `grad[${j}]`));
  }
  const step = grad.map((g, j) => shift(s.lr * g, fb, m3, `step[${j}]`));
  const wNew = s.w.map((w, j) => w - step[j]);
  const f = formatOf(shape);
  wNew.forEach((v, j) => checkRange(v, f, j === d ? 'new weights.bias' : `new weights[${j}]`));
  return { wNew, pred, grad, step };
}
