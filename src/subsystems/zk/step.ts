/**
 * One provable step: the reference arithmetic, the commitments, and the circuit's witness input, from the same
 * values. What a proof publishes (`StepPublic`) is what the auditor checks against its neighbours.
 */
import { randomBytes } from 'node:crypto';
import { batchCommitment, weightCommitment, type Hasher } from './commitments.js';
import { toField } from './fixed-point.js';
import type { StepModel } from './model.js';
import type { Batch, StepTrace } from './sgd-reference.js';
import type { WitnessInput } from './snark/prove.js';

/** The public inputs of a step, in the circuit's order (cBase only for LoRA). */
export interface StepPublic {
  readonly cOld: bigint;
  readonly cNew: bigint;
  readonly cBatch: bigint;
  readonly lr: bigint;
  readonly cBase?: bigint;
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
  return [pub.cOld, pub.cNew, pub.cBatch, pub.lr, ...(pub.cBase !== undefined ? [pub.cBase] : [])].map((v) => toField(v, p).toString());
}

export function parsePublic(signals: readonly string[]): StepPublic {
  const [cOld, cNew, cBatch, lr, cBase] = signals.map((s) => BigInt(s));
  return cBase === undefined ? { cOld, cNew, cBatch, lr } : { cOld, cNew, cBatch, lr, cBase };
}

/**
 * The step of `model` from `params` on `batch`, committed with `saltOld` (the salt the previous step's new parameters
 * used) and `saltNew`. `claimedNew` replaces the claimed new parameters (tests use it to claim a wrong update).
 */
export function prepareStep(o: {
  model: StepModel;
  hasher: Hasher;
  params: readonly bigint[];
  batch: Batch;
  lr: bigint;
  saltOld: bigint;
  saltNew: bigint;
  claimedNew?: readonly bigint[];
}): PreparedStep {
  const { hasher: h, model, batch } = o;
  const trace = model.step(o.params, batch, o.lr);
  const next = o.claimedNew ?? trace.next;
  const pub: StepPublic = {
    cOld: weightCommitment(h, o.params, o.saltOld),
    cNew: weightCommitment(h, next, o.saltNew),
    cBatch: batchCommitment(h, batch.x, batch.y),
    lr: o.lr,
    ...(model.base !== null ? { cBase: model.base.commitment } : {}),
  };
  const f = (v: bigint): string => toField(v, h.p).toString();
  const [cOld, cNew, cBatch, lr, cBase] = publicSignals(pub, h.p);
  const input: WitnessInput = {
    cOld,
    cNew,
    cBatch,
    lr,
    ...(cBase !== undefined ? { cBase } : {}),
    ...model.privateInputs(o.params, next, h.p),
    saltOld: f(o.saltOld),
    saltNew: f(o.saltNew),
    x: batch.x.map((row) => row.map(f)),
    y: batch.y.map(f),
  };
  return { trace: { ...trace, next }, pub, input };
}
