/**
 * One provable step: the reference arithmetic, the three commitments, and the circuit's witness input, from the
 * same values. What a proof publishes (`StepPublic`) is what the auditor checks against its neighbours.
 */
import { randomBytes } from 'node:crypto';
import type { CircuitShape } from './circuit/sgd-linear-circom.js';
import { batchCommitment, weightCommitment, type Hasher } from './commitments.js';
import { toField } from './fixed-point.js';
import { sgdStep, type StepData, type StepTrace } from './sgd-reference.js';
import type { WitnessInput } from './snark/prove.js';

/** The public inputs of a step, in the circuit's order. */
export interface StepPublic {
  readonly cOld: bigint;
  readonly cNew: bigint;
  readonly cBatch: bigint;
  readonly lr: bigint;
}

export interface PreparedStep {
  readonly trace: StepTrace;
  readonly pub: StepPublic;
  readonly input: WitnessInput;
}

/** A fresh commitment salt: 31 random bytes, below the field prime. */
export function freshSalt(): bigint {
  return BigInt(`0x${randomBytes(31).toString('hex')}`);
}

export function publicSignals(pub: StepPublic, p: bigint): string[] {
  return [pub.cOld, pub.cNew, pub.cBatch, pub.lr].map((v) => toField(v, p).toString());
}

export function parsePublic(signals: readonly string[]): StepPublic {
  const [cOld, cNew, cBatch, lr] = signals.map((s) => BigInt(s));
  return { cOld, cNew, cBatch, lr };
}

/**
 * The step from `data`, committed with `saltOld` (the salt the previous step's new weights used) and `saltNew`.
 * `override` replaces the claimed new weights (tests use it to claim a wrong update).
 */
export function prepareStep(o: {
  shape: CircuitShape;
  hasher: Hasher;
  data: StepData;
  saltOld: bigint;
  saltNew: bigint;
  claimedNew?: readonly bigint[];
}): PreparedStep {
  const { hasher: h, data } = o;
  const trace = sgdStep(o.shape, data);
  const wNew = o.claimedNew ?? trace.wNew;
  const pub: StepPublic = {
    cOld: weightCommitment(h, data.w, o.saltOld),
    cNew: weightCommitment(h, wNew, o.saltNew),
    cBatch: batchCommitment(h, data.x, data.y),
    lr: data.lr,
  };
  const f = (v: bigint): string => toField(v, h.p).toString();
  const input: WitnessInput = {
    cOld: f(pub.cOld),
    cNew: f(pub.cNew),
    cBatch: f(pub.cBatch),
    lr: f(data.lr),
    w: data.w.map(f),
    wNew: wNew.map(f),
    saltOld: f(o.saltOld),
    saltNew: f(o.saltNew),
    x: data.x.map((row) => row.map(f)),
    y: data.y.map(f),
  };
  return { trace: { ...trace, wNew }, pub, input };
}
