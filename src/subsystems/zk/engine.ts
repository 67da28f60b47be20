/**
 * The zk subsystem's objective and full training (loaded lazily by index.ts): parse, load the data in fixed point,
 * build the step model (linear, logistic, or LoRA on a fitted frozen base) and its AutoProver, train with every step
 * proved (train.ts), report per epoch — validation loss (MSE of the prediction; for logistic the Brier score) and
 * accuracy, and the proving cost (prove_ms, witness_ms, verify_ms per step, proof_bytes) with the prover's counts
 * (proof_attempts, proof_retries, proof_failures, proof_fallbacks, proof_success_rate) — and, for full training,
 * write best/last checkpoints and score the test split against the predict-the-mean baseline.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomically } from '../../data/atomic-write.js';
import { WorkerError } from '../../errors.js';
import { paramReader } from '../../ml/hyperparams.js';
import type { FullTrainContext, FullTrainResult, SubsystemTrialContext } from '../subsystem.js';
import { ConfigError } from '../../errors.js';
import { zkCacheDir } from './artifacts/cache-dir.js';
import type { CircuitShape } from './circuit/shapes.js';
import { loadHasher, type Hasher } from './commitments.js';
import { fixedRow, loadZkData, type ZkData } from './data.js';
import { readSplit } from './dataset/tabular.js';
import { fromFixed } from './fixed-point.js';
import { parseZkHyperparams, ZK_DEFAULTS, type ZkHyperparams } from './hyperparams.js';
import { fitBase, fullModel, loraModel, type StepModel } from './model.js';
import { AutoProver } from './prover.js';
import { formatOf } from './sgd-reference.js';
import { LOCAL_SETUP_WARNING } from './snark/ptau.js';
import { releaseSnarkjs } from './snark/snarkjs.js';
import { freshSalt } from './step.js';
import { scoreSplit, trainProved, type EpochSummary, type TrainedModel } from './train.js';

type Ctx = Pick<SubsystemTrialContext, 'datasetsDir' | 'log' | 'setAttr' | 'signal' | 'seed'>;

function interrupted(): WorkerError {
  return new WorkerError('zk: training was interrupted (signal aborted) before it finished', { code: 'INTERRUPTED' });
}

export function shapeOf(hp: ZkHyperparams): CircuitShape {
  return { model: hp.model, d: hp.nFeatures, batch: hp.batchSize, fracBits: hp.fracBits, rank: hp.rank };
}

interface Started {
  readonly data: ZkData;
  readonly model: StepModel;
  readonly prover: AutoProver;
  readonly hasher: Hasher;
}

/**
 * `setupNotice`: the level at which the local-setup notice goes in the trial's or run's log. `tune` and `tune train`
 * both print it once when they prepare the dataset, so a trial logs it at info (not echoed) and a run at debug (kept
 * in the run's log, not printed a second time).
 */
async function start(hp: ZkHyperparams, ctx: Ctx, setupNotice: 'info' | 'debug'): Promise<Started> {
  const shape = shapeOf(hp);
  const data = loadZkData(ctx.datasetsDir, hp.nFeatures, formatOf(shape));
  if (hp.model === 'logistic' && data.train.yf.some((y) => y < 0 || y > 1)) {
    throw new ConfigError(`model: logistic needs a target in [0, 1] (a class label or probability); the zk dataset's target '${data.columns[data.columns.length - 1]}' leaves it — use model linear`);
  }
  const hasher = await loadHasher();
  const model = hp.model === 'lora' ? loraModel(shape, fitBase(shape, data.train, hasher, freshSalt())) : fullModel(shape);
  const prover = new AutoProver({ cacheDir: zkCacheDir(), shape, policy: hp.proofPolicy, system: hp.proofSystem, maxAttempts: hp.maxAttempts, baseDelayMs: 1000, signal: ctx.signal, log: (m) => ctx.log('info', m) });
  const keys = await prover.keys();
  ctx.setAttr('zk_setup', `${keys.ptau.kind} powers of tau 2^${keys.ptau.power}`);
  ctx.setAttr('zk_constraints', keys.circuit.nConstraints);
  ctx.setAttr('zk_circuit', keys.circuit.dir.split(/[\\/]/).pop() ?? '');
  if (keys.ptau.kind === 'local') ctx.log(setupNotice, `zk: ${LOCAL_SETUP_WARNING}`);
  return { data, model, prover, hasher };
}

export function epochMetrics(s: EpochSummary): Record<string, number> {
  const steps = s.proved + s.failed;
  return {
    train_loss: s.trainLoss,
    val_loss: s.valLoss,
    val_accuracy: s.valAccuracy,
    prove_ms: s.proveMs,
    witness_ms: s.witnessMs,
    verify_ms: s.verifyMs,
    proof_bytes: s.proofBytes,
    proved_steps: s.proved,
    proof_attempts: s.attempts,
    proof_retries: s.retries,
    proof_failures: s.failed,
    proof_fallbacks: s.fallbacks,
    proof_success_rate: steps > 0 ? s.proved / steps : 1,
  };
}

/**
 * One tuning trial; its proofs go in the trial's folder under the study (`studies/<study>/trials/<n>/proofs`), or
 * under the zk cache where the runner gives none (a bare API call); `proof_dir` names it. `askPrune` replaces `ctx.shouldPrune` where the answer comes from another process.
 */
export async function zkObjective(params: Readonly<Record<string, unknown>>, ctx: SubsystemTrialContext, askPrune?: () => Promise<boolean>): Promise<number> {
  const hp = parseZkHyperparams({ ...ZK_DEFAULTS, ...params });
  if (ctx.signal.aborted) throw interrupted();
  try {
    const started = await start(hp, ctx, 'info');
    const dir = ctx.trialDir !== undefined ? join(ctx.trialDir, 'proofs') : join(zkCacheDir(), 'trial-proofs', `t${ctx.trialNumber}-s${ctx.seed}-${Date.now()}-${randomBytes(3).toString('hex')}`);
    // A folder left by an earlier study of the same name (its database deleted) is kept aside, never mixed in.
    if (existsSync(dir)) renameSync(dir, `${dir}.replaced-${Date.now()}`);
    ctx.setAttr('proof_dir', dir);
    const { epochs, batchCap } = ctx.budget;
    let best = Infinity;
    const r = await trainProved({
      hp, ...started, epochs, stepCap: batchCap, seed: ctx.seed, dir, signal: ctx.signal,
      onStep: (s) => ctx.progress({ epoch: s.epoch, epochs, batch: s.step, batches: s.steps }),
      onEpoch: (s) => {
        ctx.metrics(s.epoch, epochMetrics(s));
        ctx.report(s.epoch, s.valLoss);
        best = Math.min(best, s.valLoss);
        return askPrune !== undefined ? askPrune() : ctx.shouldPrune();
      },
    });
    if (r.stoppedBy === 'pruned') ctx.prune(`pruned after an epoch: val_loss ${best}`);
    if (r.stoppedBy === 'signal') throw interrupted();
    return best;
  } finally {
    await releaseSnarkjs();
  }
}

async function writeCheckpoint(dir: string, tag: 'best' | 'last', epoch: number, valLoss: number, m: TrainedModel, model: StepModel): Promise<void> {
  const f = { fracBits: model.shape.fracBits, valueBits: 0 };
  const base = model.base !== null ? { base: model.base.weights.map(String), base_salt: model.base.salt.toString(), base_commitment: model.base.commitment.toString() } : {};
  const body = { epoch, val_loss: valLoss, model: model.shape.model, rank: model.shape.rank, params: m.params.map(String), params_real: m.params.map((v) => fromFixed(v, f)), commitment: m.commitment.toString(), salt: m.salt.toString(), ...base };
  await writeTextAtomically(join(dir, `${tag}.json`), `${JSON.stringify(body, null, 1)}\n`);
}

function testScores(ctx: FullTrainContext, model: StepModel, data: ZkData, params: readonly bigint[]): Record<string, number> {
  const test = readSplit(join(ctx.datasetsDir, 'zk'), 'test');
  const f = formatOf(model.shape);
  const rows = test.rows.map((_, r) => fixedRow(test, r, data.standardisation, f, 'test'));
  const scale = 2 ** f.fracBits;
  const split = { xf: rows.map((r) => r.slice(0, -1).map((v) => Number(v) / scale)), yf: rows.map((r) => Number(r[r.length - 1]) / scale) };
  const meanY = data.train.yf.reduce((a, b) => a + b, 0) / data.train.yf.length;
  const s = scoreSplit(model, params, split);
  return {
    test_rows: rows.length,
    test_mse: s.mse,
    test_mse_mean_baseline: split.yf.reduce((a, y) => a + (y - meanY) ** 2, 0) / split.yf.length,
    test_accuracy: s.accuracy,
  };
}

/** Full training from a baseline config: every epoch proved, proofs under `<run>/proofs/`, checkpoints beside them. */
export async function zkFullTrain(config: Readonly<Record<string, unknown>>, ctx: FullTrainContext): Promise<FullTrainResult> {
  const merged = { ...ZK_DEFAULTS, ...config };
  const hp = parseZkHyperparams(merged);
  const epochs = paramReader('zk', merged).positiveInt('epochs');
  try {
    const started = await start(hp, ctx, 'debug');
    const { model, data, prover } = started;
    const dir = join(ctx.checkpointDir, 'proofs');
    let best = { valLoss: Infinity, epoch: 0, params: [] as readonly bigint[] };
    let nSteps = 0;
    let proveMs = 0;
    const r = await trainProved({
      hp, ...started, epochs, stepCap: null, seed: ctx.seed, dir, signal: ctx.signal,
      onStep: (s) => ctx.progress({ epoch: s.epoch, epochs, batch: s.step, batches: s.steps }),
      onEpoch: async (s, m) => {
        ctx.metrics(s.epoch, epochMetrics(s));
        nSteps += s.steps;
        proveMs += s.proveMs * s.steps;
        if (s.valLoss < best.valLoss) {
          best = { valLoss: s.valLoss, epoch: s.epoch, params: m.params };
          await writeCheckpoint(ctx.checkpointDir, 'best', s.epoch, s.valLoss, m, model);
        }
        await writeCheckpoint(ctx.checkpointDir, 'last', s.epoch, s.valLoss, m, model);
        return false;
      },
    });
    if (r.stoppedBy === 'signal' || ctx.signal.aborted) throw interrupted();
    return {
      value: best.valLoss,
      result: {
        ...testScores(ctx, model, data, best.params),
        model: hp.model === 'lora' ? `lora-${hp.rank}` : hp.model,
        best_epoch: best.epoch,
        proved_steps: prover.stats.proved,
        unproved_steps: prover.stats.failed,
        proof_retries: prover.stats.retries,
        proof_fallbacks: prover.stats.fallbacks,
        mean_prove_ms: proveMs / nSteps,
        proof_dir: dir,
        zk_setup: await prover.setupNote(),
      },
    };
  } finally {
    await releaseSnarkjs();
  }
}
