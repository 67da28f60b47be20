/**
 * One full-SGD step of linear or logistic regression in exactly the circuit's arithmetic (circuit/sgd-full-circom.ts),
 * on BigInts. Training runs this, so the model that is trained is the model that is proved; a test checks every
 * intermediate against the circuit's witness bit for bit (`signals` names them as the circuit's .sym file does).
 */
import { valueBits, type CircuitShape } from './circuit/shapes.js';
import { InvalidModelStateError } from './errors.js';
import { ceilLog2, checkRange, floorShift, type FixedFormat } from './fixed-point.js';

/** A batch of rows in fixed point. */
export interface Batch {
  readonly x: readonly (readonly bigint[])[];
  readonly y: readonly bigint[];
}

/** A full-SGD step's private data: weights (bias last), a batch of rows, and the learning rate, all fixed point. */
export interface StepData extends Batch {
  readonly w: readonly bigint[];
  readonly lr: bigint;
}

/** The step's result and the circuit's intermediate values by signal name (`main.sgd.grad[0].q`, …). */
export interface StepTrace {
  readonly next: readonly bigint[];
  readonly signals: ReadonlyMap<string, bigint>;
}

export function formatOf(shape: Pick<CircuitShape, 'fracBits'>): FixedFormat {
  return { fracBits: shape.fracBits, valueBits: valueBits(shape) };
}

/** Bit widths of the three rescalings (M1, M2, M3 in the circuit). */
export function shiftBits(shape: CircuitShape): { m1: number; m2: number; m3: number } {
  const vb = valueBits(shape);
  const lb = Math.log2(shape.batch);
  const m1 = 2 * vb + ceilLog2(shape.d + 1);
  const m2 = m1 - shape.fracBits + 1 + vb + lb;
  return { m1, m2, m3: vb + m2 - shape.fracBits - lb };
}

/** Checks a batch and learning rate as the circuit range-checks them. */
export function checkBatch(shape: CircuitShape, b: Batch, lr: bigint): void {
  const f = formatOf(shape);
  if (b.x.length !== shape.batch || b.y.length !== shape.batch || b.x.some((r) => r.length !== shape.d)) {
    throw new InvalidModelStateError('batch', `expected ${shape.batch} rows of ${shape.d} features`);
  }
  checkRange(lr, f, 'learning_rate');
  b.x.forEach((row, i) => row.forEach((v, j) => checkRange(v, f, `batch.x[${i}][${j}]`)));
  b.y.forEach((v, i) => checkRange(v, f, `batch.y[${i}]`));
}

/** Checks every value the circuit range-checks; InvalidModelStateError naming the first one out of range. */
export function checkStepData(shape: CircuitShape, s: StepData): void {
  if (s.w.length !== shape.d + 1) throw new InvalidModelStateError('weights', `expected ${shape.d + 1} weights (bias last), got ${s.w.length}`);
  checkBatch(shape, s, s.lr);
  const f = formatOf(shape);
  s.w.forEach((v, j) => checkRange(v, f, j === shape.d ? 'weights.bias' : `weights[${j}]`));
}

/** C3 = round(2^F / 108), the cubic coefficient of the sigmoid (sgd-full-circom.ts). */
export function sigmoidC3(fracBits: number): bigint {
  return ((1n << BigInt(fracBits)) + 54n) / 108n;
}

/** σ̂(z) at scale 2^F: ½ + z/4 − z³/108 on [−3, 3], clamped (sgd-full-circom.ts); intermediates under `prefix`. */
export function sigmoidFixed(z: bigint, fracBits: number, signals?: Map<string, bigint>, prefix = ''): bigint {
  const F = BigInt(fracBits);
  const L = 3n << F;
  const zc = z > L ? L : z < -L ? -L : z;
  const z2 = floorShift(zc * zc, fracBits, 2 * fracBits + 4, 'sigmoid z²');
  const z3 = floorShift(z2 * zc, fracBits, 2 * fracBits + 5, 'sigmoid z³');
  const quarter = floorShift(zc, 2, fracBits + 2, 'sigmoid z/4');
  const cube = floorShift(sigmoidC3(fracBits) * z3, fracBits, 2 * fracBits, 'sigmoid cube');
  const s = (1n << (F - 1n)) + quarter - cube;
  if (signals !== undefined) {
    for (const [k, v] of Object.entries({ zc, 'z2.q': z2, 'z3.q': z3, 'quarter.q': quarter, 'cube.q': cube, s })) signals.set(`${prefix}.${k}`, v);
  }
  return s;
}

/**
 * Mean-gradient step from residuals e: grad_j = floor(Σ e_i x_ij / 2^(F+LB)), the bias's floor(Σ e_i / 2^LB), and
 * w_j − floor(lr·grad_j / 2^F) (GradientStep in the circuit).
 */
function gradientStep(shape: CircuitShape, w: readonly bigint[], x: Batch['x'], e: readonly bigint[], lr: bigint, signals: Map<string, bigint>): bigint[] {
  const { d, fracBits: fb } = shape;
  const F = BigInt(fb);
  const lb = Math.log2(shape.batch);
  const { m2, m3 } = shiftBits(shape);
  return w.map((wj, j) => {
    const g = e.reduce((acc, ei, i) => acc + (j < d ? ei * x[i][j] : ei << F), 0n);
    const grad = floorShift(g, fb + lb, m2, `grad[${j}]`);
    const step = floorShift(lr * grad, fb, m3, `step[${j}]`);
    signals.set(`main.sgd.grad[${j}].q`, grad);
    signals.set(`main.sgd.update[${j}]`, lr * grad);
    signals.set(`main.sgd.step[${j}].q`, step);
    signals.set(`main.sgd.wNew[${j}]`, wj - step);
    return wj - step;
  });
}

/** The scores floor((w·x + b·2^F) / 2^F) of a batch (LinearScores). */
export function linearScores(shape: CircuitShape, w: readonly bigint[], x: Batch['x']): bigint[] {
  const F = BigInt(shape.fracBits);
  const { m1 } = shiftBits(shape);
  return x.map((row, i) => floorShift(row.reduce((acc, xij, j) => acc + w[j] * xij, w[shape.d] << F), shape.fracBits, m1, `score[${i}]`));
}

/** The step the circuit proves; InvalidModelStateError when an input or the new weights leave the range. */
export function sgdStep(shape: CircuitShape, s: StepData): StepTrace {
  if (shape.model === 'lora') throw new InvalidModelStateError('model', 'a LoRA step has adapters, not full weights (lora-reference.ts)');
  checkStepData(shape, s);
  const signals = new Map<string, bigint>();
  const z = linearScores(shape, s.w, s.x);
  const e = z.map((zi, i) => {
    signals.set(`main.score.z[${i}]`, zi);
    const p = shape.model === 'logistic' ? sigmoidFixed(zi, shape.fracBits, signals, `main.sigmoid[${i}]`) : zi;
    signals.set(`main.e[${i}]`, p - s.y[i]);
    return p - s.y[i];
  });
  const next = gradientStep(shape, s.w, s.x, e, s.lr, signals);
  const f = formatOf(shape);
  next.forEach((v, j) => checkRange(v, f, j === shape.d ? 'new weights.bias' : `new weights[${j}]`));
  return { next, signals };
}
