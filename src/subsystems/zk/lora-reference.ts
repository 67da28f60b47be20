/**
 * One LoRA step of linear regression in exactly the circuit's arithmetic (circuit/lora-circom.ts), on BigInts: the
 * base weights w0 (bias last) stay; the adapters θ = (A row-major R×d, then c) move. Training runs this; a test checks
 * it against the circuit's witness bit for bit.
 */
import { valueBits, type CircuitShape } from './circuit/shapes.js';
import { InvalidModelStateError } from './errors.js';
import { ceilLog2, checkRange, floorShift } from './fixed-point.js';
import { checkBatch, formatOf, type Batch, type StepTrace } from './sgd-reference.js';

export interface LoraStepData extends Batch {
  readonly base: readonly bigint[];
  readonly theta: readonly bigint[];
  readonly lr: bigint;
}

/** The circuit's bit widths (lora-circom.ts). */
export function loraBits(shape: CircuitShape): { mu: number; m1: number; m2: number; mc: number; ma: number } {
  const vb = valueBits(shape);
  const F = shape.fracBits;
  const lb = Math.log2(shape.batch);
  const mu = 2 * vb + ceilLog2(shape.d);
  const m1 = 2 * vb + 8 + ceilLog2(shape.d) + ceilLog2(shape.d + shape.rank + 1);
  const m2 = m1 - F + 1 + vb + lb;
  const mc = m1 - F + 1 + mu - F + lb;
  return { mu, m1, m2, mc, ma: vb + m2 - F - lb };
}

function checkLora(shape: CircuitShape, s: LoraStepData): void {
  const { d, rank } = shape;
  if (shape.model !== 'lora' || rank < 1) throw new InvalidModelStateError('model', 'a LoRA step needs a lora shape of rank ≥ 1');
  if (s.base.length !== d + 1) throw new InvalidModelStateError('base', `expected ${d + 1} base weights (bias last), got ${s.base.length}`);
  if (s.theta.length !== rank * d + rank) throw new InvalidModelStateError('adapters', `expected ${rank * d + rank} adapter values (A ${rank}×${d}, then c), got ${s.theta.length}`);
  checkBatch(shape, s, s.lr);
  const f = formatOf(shape);
  s.base.forEach((v, j) => checkRange(v, f, `base[${j}]`));
  s.theta.forEach((v, k) => checkRange(v, f, adapterName(shape, k)));
}

/** `A[k][j]` or `c[k]` for index k of θ. */
export function adapterName(shape: CircuitShape, k: number): string {
  const n = shape.rank * shape.d;
  return k < n ? `adapters.A[${Math.floor(k / shape.d)}][${k % shape.d}]` : `adapters.c[${k - n}]`;
}

/** Projections u_ik = floor(A_k·x_i / 2^F) and scores z_i = floor((w0·x_i + c·u_i + b0·2^F) / 2^F). */
export function loraForward(shape: CircuitShape, base: readonly bigint[], theta: readonly bigint[], x: Batch['x']): { u: bigint[][]; z: bigint[] } {
  const { d, rank: R, fracBits: fb } = shape;
  const { mu, m1 } = loraBits(shape);
  const u = x.map((row, i) => Array.from({ length: R }, (_, k) => floorShift(row.reduce((a, xj, j) => a + theta[k * d + j] * xj, 0n), fb, mu, `u[${i}][${k}]`)));
  const z = x.map((row, i) => {
    let acc = base[d] << BigInt(fb);
    row.forEach((xj, j) => (acc += base[j] * xj));
    u[i].forEach((uk, k) => (acc += theta[R * d + k] * uk));
    return floorShift(acc, fb, m1, `score[${i}]`);
  });
  return { u, z };
}

export function loraStep(shape: CircuitShape, s: LoraStepData): StepTrace {
  checkLora(shape, s);
  const { d, rank: R, fracBits: fb } = shape;
  const lb = Math.log2(shape.batch);
  const vb = valueBits(shape);
  const { m2, mc, ma } = loraBits(shape);
  const signals = new Map<string, bigint>();
  const { u, z } = loraForward(shape, s.base, s.theta, s.x);
  const e = z.map((zi, i) => zi - s.y[i]);
  e.forEach((ei, i) => {
    signals.set(`main.pred[${i}].q`, z[i]);
    signals.set(`main.e[${i}]`, ei);
    u[i].forEach((uk, k) => signals.set(`main.u[${i}][${k}].q`, uk));
  });
  const g = Array.from({ length: d }, (_, j) => floorShift(e.reduce((a, ei, i) => a + ei * s.x[i][j], 0n), fb + lb, m2, `grad[${j}]`));
  g.forEach((v, j) => signals.set(`main.g[${j}].q`, v));
  const next = [...s.theta];
  for (let k = 0; k < R; k++) {
    const c = s.theta[R * d + k];
    const gc = floorShift(e.reduce((a, ei, i) => a + ei * u[i][k], 0n), fb + lb, mc, `grad c[${k}]`);
    const stepC = floorShift(s.lr * gc, fb, vb + mc - fb - lb, `step c[${k}]`);
    next[R * d + k] = c - stepC;
    signals.set(`main.gc[${k}].q`, gc);
    signals.set(`main.stepC[${k}].q`, stepC);
    for (let j = 0; j < d; j++) {
      const gA = floorShift(c * g[j], fb, ma, `grad A[${k}][${j}]`);
      const stepA = floorShift(s.lr * gA, fb, vb + ma - fb, `step A[${k}][${j}]`);
      next[k * d + j] = s.theta[k * d + j] - stepA;
      signals.set(`main.gA[${k}][${j}].q`, gA);
      signals.set(`main.stepA[${k}][${j}].q`, stepA);
    }
  }
  const f = formatOf(shape);
  next.forEach((v, k) => checkRange(v, f, `new ${adapterName(shape, k)}`));
  next.forEach((v, k) => signals.set(`main.thetaNew[${k}]`, v));
  return { next, signals };
}
