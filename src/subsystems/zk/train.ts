/**
 * The proved training loop: plain SGD in fixed point where every step is computed by the circuit's own arithmetic
 * (the model's reference step), proved, verified and stored before the next. The batch schedule of every epoch is
 * drawn from the seed and published (batches.json) before the first step; full-SGD weights start at zero, LoRA
 * adapters as model.ts draws them (so the first LoRA model is its base).
 */
import { mkdirSync } from 'node:fs';
import { batchCommitment, weightCommitment, type Hasher } from './commitments.js';
import type { FixedSplit, ZkData } from './data.js';
import type { ZkHyperparams } from './hyperparams.js';
import { initialParams, type StepModel } from './model.js';
import { writeBatches, writeManifestFile, type ProofManifest } from './proof-store.js';
import { otherSystem, type AutoProver } from './prover.js';
import { formatOf, type Batch } from './sgd-reference.js';
import { freshSalt, prepareStep } from './step.js';
import { toFixed } from './fixed-point.js';
import { Rng } from '../../util/rng.js';

export interface EpochSummary {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  readonly proveMs: number;
  readonly witnessMs: number;
  readonly verifyMs: number;
  readonly proofBytes: number;
  readonly steps: number;
  /** Cumulative over the run so far (the prover's counts). */
  readonly attempts: number;
  readonly retries: number;
  readonly proved: number;
  readonly failed: number;
  readonly fallbacks: number;
}

export interface TrainedModel {
  /** Full SGD: the weights (bias last); LoRA: the adapters (A row-major, then c). */
  readonly params: readonly bigint[];
  readonly salt: bigint;
  readonly commitment: bigint;
}

export interface ProvedTrainingOptions {
  readonly hp: ZkHyperparams;
  readonly data: ZkData;
  readonly model: StepModel;
  readonly prover: AutoProver;
  readonly hasher: Hasher;
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

/** Mean squared error of the model's predictions (for logistic: the Brier score of σ̂) and accuracy at ½. */
export function scoreSplit(model: StepModel, params: readonly bigint[], s: Pick<FixedSplit, 'xf' | 'yf'>): { mse: number; accuracy: number } {
  const pred = model.predict(params, s.xf);
  let sq = 0;
  let correct = 0;
  pred.forEach((p, i) => {
    sq += (p - s.yf[i]) ** 2;
    if ((p >= 0.5 ? 1 : 0) === (s.yf[i] >= 0.5 ? 1 : 0)) correct++;
  });
  return { mse: sq / pred.length, accuracy: correct / pred.length };
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
async function publish(o: ProvedTrainingOptions, plan: readonly (readonly number[])[], rowsOf: (rows: readonly number[]) => Batch, start: { lr: bigint; params: readonly bigint[]; salt: bigint }): Promise<ProofManifest> {
  const { prover, model, data } = o;
  const h = o.hasher;
  mkdirSync(o.dir, { recursive: true });
  const keys = await prover.keys();
  const manifest: ProofManifest = {
    formatVersion: 2,
    system: prover.system,
    shape: model.shape,
    circuitKey: keys.circuit.dir.split(/[\\/]/).pop() ?? '',
    vkeys: { [prover.system]: keys.vkey },
    ...(model.base !== null ? { baseCommitment: model.base.commitment.toString() } : {}),
    setup: { ptauKind: keys.ptau.kind, ptauPower: keys.ptau.power, note: await prover.setupNote() },
    lr: start.lr.toString(),
    initialCommitment: weightCommitment(h, start.params, start.salt).toString(),
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

/** The manifest as it stands after `nSteps`: the final commitment, and the other system's key once a step fell back to it. */
async function closeManifest(o: ProvedTrainingOptions, manifest: ProofManifest, m: TrainedModel, nSteps: number): Promise<void> {
  const other = otherSystem(o.prover.system);
  const vkeys = o.prover.stats.fallbacks > 0 ? { ...manifest.vkeys, [other]: (await o.prover.keys(other)).vkey } : manifest.vkeys;
  await writeManifestFile(o.dir, { ...manifest, vkeys, finalCommitment: m.commitment.toString(), nSteps });
}

/** Trains and proves; returns why it stopped and the final model. */
export async function trainProved(o: ProvedTrainingOptions): Promise<{ stoppedBy: StopReason; model: TrainedModel }> {
  const { hp, data, model, prover } = o;
  const shape = model.shape;
  const h = o.hasher;
  const f = formatOf(shape);
  const steps = stepsPerEpoch(hp, data.train.y.length, o.stepCap);
  const plan = schedule(o, steps);
  const lr = toFixed(hp.learningRate, f, 'learning_rate');
  const initRng = new Rng(o.seed, 0x1a);
  let params: readonly bigint[] = initialParams(shape, () => initRng.uniform(0, 1));
  let salt = freshSalt();
  const rowsOf = (rows: readonly number[]): Batch => ({ x: rows.map((r) => [...data.train.x[r]]), y: rows.map((r) => data.train.y[r]) });
  const floats = (rows: readonly number[]): Pick<FixedSplit, 'xf' | 'yf'> => ({ xf: rows.map((r) => data.train.xf[r]), yf: rows.map((r) => data.train.yf[r]) });
  const manifest = await publish(o, plan, rowsOf, { lr, params, salt });
  const current = (): TrainedModel => ({ params, salt, commitment: weightCommitment(h, params, salt) });
  let stepNo = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const acc = { proveMs: 0, witnessMs: 0, verifyMs: 0, proofBytes: 0, trainLoss: 0 };
    for (let k = 0; k < steps; k++) {
      if (o.signal.aborted) {
        await closeManifest(o, manifest, current(), stepNo);
        return { stoppedBy: 'signal', model: current() };
      }
      const rows = plan[stepNo];
      stepNo++;
      acc.trainLoss += scoreSplit(model, params, floats(rows)).mse;
      const saltNew = freshSalt();
      const prepared = prepareStep({ model, hasher: h, params, batch: rowsOf(rows), lr, saltOld: salt, saltNew });
      const r = await prover.proveAndStore(o.dir, prepared, { step: stepNo, epoch });
      acc.proveMs += r.proveMs;
      acc.witnessMs += r.witnessMs;
      acc.verifyMs += r.verifyMs;
      acc.proofBytes += r.proofBytes;
      params = prepared.trace.next;
      salt = saltNew;
      o.onStep?.({ epoch, step: k + 1, steps });
    }
    const m = current();
    const val = scoreSplit(model, params, data.val);
    const s = prover.stats;
    const summary: EpochSummary = {
      epoch,
      trainLoss: acc.trainLoss / steps,
      valLoss: val.mse,
      valAccuracy: val.accuracy,
      proveMs: acc.proveMs / steps,
      witnessMs: acc.witnessMs / steps,
      verifyMs: acc.verifyMs / steps,
      proofBytes: acc.proofBytes / steps,
      steps,
      attempts: s.attempts,
      retries: s.retries,
      proved: s.proved,
      failed: s.failed,
      fallbacks: s.fallbacks,
    };
    await closeManifest(o, manifest, m, stepNo);
    if (await o.onEpoch(summary, m)) return { stoppedBy: 'pruned', model: m };
  }
  return { stoppedBy: 'completed', model: current() };
}
