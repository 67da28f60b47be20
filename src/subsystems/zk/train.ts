/**
 * The proved training loop: plain SGD on fixed-point linear regression where every step is computed by the circuit's
 * own arithmetic (sgd-reference.ts), proved, verified and stored before the next. The batch schedule of every epoch
 * is drawn from the seed and published (batches.json) before the first step; the weights start at zero.
 */
import { mkdirSync } from 'node:fs';
import type { CircuitShape } from './circuit/sgd-linear-circom.js';
import { batchCommitment, weightCommitment } from './commitments.js';
import { mse, type ZkData } from './data.js';
import type { ZkHyperparams } from './hyperparams.js';
import { writeBatches, writeManifestFile, type ProofManifest } from './proof-store.js';
import { formatOf } from './sgd-reference.js';
import type { ProvingSession } from './session.js';
import { freshSalt, prepareStep } from './step.js';
import { toFixed } from './fixed-point.js';
import { Rng } from '../../util/rng.js';

export interface EpochSummary {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly proveMs: number;
  readonly witnessMs: number;
  readonly verifyMs: number;
  readonly proofBytes: number;
  readonly retries: number;
  readonly steps: number;
}

export interface TrainedModel {
  readonly weights: readonly bigint[];
  readonly salt: bigint;
  readonly commitment: bigint;
}

export interface ProvedTrainingOptions {
  readonly hp: ZkHyperparams;
  readonly data: ZkData;
  readonly session: ProvingSession;
  readonly shape: CircuitShape;
  readonly epochs: number;
  /** The budget's cap on steps per epoch (null: `hp.steps`). */
  readonly stepCap: number | null;
  readonly seed: number;
  /** The proof folder. */
  readonly dir: string;
  readonly signal: AbortSignal;
  onStep?(at: { epoch: number; step: number; steps: number }): void;
  /** Called after each epoch; returns true to stop (pruned). */
  onEpoch(s: EpochSummary, model: TrainedModel): Promise<boolean> | boolean;
}

export type StopReason = 'completed' | 'pruned' | 'signal';

/** Steps per epoch: the hyperparameter, lowered by the budget's cap and by the batches the split holds. */
export function stepsPerEpoch(hp: ZkHyperparams, nTrain: number, cap: number | null): number {
  return Math.max(1, Math.min(hp.steps, Math.floor(nTrain / hp.batchSize), cap ?? Infinity));
}

function schedule(o: ProvedTrainingOptions, steps: number): number[][] {
  const n = o.data.train.y.length;
  const out: number[][] = [];
  for (let e = 0; e < o.epochs; e++) {
    const order = new Rng(o.seed, 0x5a, e).shuffle(Array.from({ length: n }, (_, i) => i));
    for (let k = 0; k < steps; k++) out.push(order.slice(k * o.hp.batchSize, (k + 1) * o.hp.batchSize));
  }
  return out;
}

/** Writes the manifest (initial commitment, key, setup) and the batch list before the first step. */
async function publish(
  o: ProvedTrainingOptions,
  plan: readonly (readonly number[])[],
  rowsOf: (rows: readonly number[]) => { x: bigint[][]; y: bigint[] },
  start: { lr: bigint; w: readonly bigint[]; salt: bigint },
): Promise<ProofManifest> {
  const { session, shape, data } = o;
  const h = session.hasher;
  mkdirSync(o.dir, { recursive: true });
  const manifest: ProofManifest = {
    formatVersion: 1,
    system: 'groth16',
    shape,
    circuitKey: session.circuitKey,
    vkey: session.keys.vkey,
    setup: { ptauKind: session.keys.ptau.kind, ptauPower: session.keys.ptau.power, note: session.setupNote },
    lr: start.lr.toString(),
    initialCommitment: weightCommitment(h, start.w, start.salt).toString(),
    standardisation: data.standardisation,
  };
  await writeManifestFile(o.dir, manifest);
  const commitments = plan.map((rows) => {
    const b = rowsOf(rows);
    return batchCommitment(h, b.x, b.y).toString();
  });
  await writeBatches(o.dir, { rows: plan, commitments });
  return manifest;
}

/** Trains and proves; returns why it stopped and the final model. */
export async function trainProved(o: ProvedTrainingOptions): Promise<{ stoppedBy: StopReason; model: TrainedModel }> {
  const { hp, data, session, shape } = o;
  const f = formatOf(shape);
  const h = session.hasher;
  const steps = stepsPerEpoch(hp, data.train.y.length, o.stepCap);
  const plan = schedule(o, steps);
  const lr = toFixed(hp.learningRate, f, 'learning_rate');
  let w: readonly bigint[] = new Array<bigint>(shape.d + 1).fill(0n);
  let salt = freshSalt();
  const rowsOf = (rows: readonly number[]): { x: bigint[][]; y: bigint[] } => ({ x: rows.map((r) => [...data.train.x[r]]), y: rows.map((r) => data.train.y[r]) });
  const manifest = await publish(o, plan, rowsOf, { lr, w, salt });
  let stepNo = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const acc = { proveMs: 0, witnessMs: 0, verifyMs: 0, proofBytes: 0, retries: 0, trainLoss: 0 };
    for (let k = 0; k < steps; k++) {
      if (o.signal.aborted) {
        const model = { weights: w, salt, commitment: weightCommitment(h, w, salt) };
        await writeManifestFile(o.dir, { ...manifest, finalCommitment: model.commitment.toString(), nSteps: stepNo });
        return { stoppedBy: 'signal', model };
      }
      const batch = rowsOf(plan[stepNo]);
      stepNo++;
      acc.trainLoss += mse(w, { xf: batch.x.map((r) => r.map((v) => Number(v) / 2 ** f.fracBits)), yf: batch.y.map((v) => Number(v) / 2 ** f.fracBits) }, f.fracBits);
      const saltNew = freshSalt();
      const prepared = prepareStep({ shape, hasher: h, data: { w, x: batch.x, y: batch.y, lr }, saltOld: salt, saltNew });
      const r = await session.proveAndStore(o.dir, prepared, { step: stepNo, epoch });
      acc.proveMs += r.proveMs;
      acc.witnessMs += r.witnessMs;
      acc.verifyMs += r.verifyMs;
      acc.proofBytes += r.proofBytes;
      acc.retries += r.attempts - 1;
      w = prepared.trace.wNew;
      salt = saltNew;
      o.onStep?.({ epoch, step: k + 1, steps });
    }
    const model = { weights: w, salt, commitment: weightCommitment(h, w, salt) };
    const summary: EpochSummary = {
      epoch,
      trainLoss: acc.trainLoss / steps,
      valLoss: mse(w, data.val, f.fracBits),
      proveMs: acc.proveMs / steps,
      witnessMs: acc.witnessMs / steps,
      verifyMs: acc.verifyMs / steps,
      proofBytes: acc.proofBytes / steps,
      retries: acc.retries,
      steps,
    };
    await writeManifestFile(o.dir, { ...manifest, finalCommitment: model.commitment.toString(), nSteps: stepNo });
    if (await o.onEpoch(summary, model)) return { stoppedBy: 'pruned', model };
  }
  return { stoppedBy: 'completed', model: { weights: w, salt, commitment: weightCommitment(h, w, salt) } };
}
