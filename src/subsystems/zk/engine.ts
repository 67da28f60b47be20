/**
 * The zk subsystem's objective and full training (loaded lazily by index.ts): parse, load the data in fixed point,
 * open a proving session for the shape, train with every step proved (train.ts), report per epoch — validation MSE
 * and the proving cost (prove_ms, witness_ms, verify_ms per step, proof_bytes, proof_retries) — and, for full
 * training, write best/last checkpoints and score the test split against the predict-the-mean baseline.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeTextAtomically } from '../../data/atomic-write.js';
import { WorkerError } from '../../errors.js';
import { paramReader } from '../../ml/hyperparams.js';
import type { FullTrainContext, FullTrainResult, SubsystemTrialContext } from '../subsystem.js';
import { zkCacheDir } from './artifacts/cache-dir.js';
import type { CircuitShape } from './circuit/sgd-linear-circom.js';
import { fixedRow, loadZkData, mse, type ZkData } from './data.js';
import { readSplit } from './dataset/tabular.js';
import { fromFixed } from './fixed-point.js';
import { parseZkHyperparams, ZK_DEFAULTS, type ZkHyperparams } from './hyperparams.js';
import { formatOf } from './sgd-reference.js';
import { openSession, type ProvingSession } from './session.js';
import { LOCAL_SETUP_WARNING } from './snark/ptau.js';
import { releaseSnarkjs } from './snark/snarkjs.js';
import { trainProved, type EpochSummary, type TrainedModel } from './train.js';

type Ctx = Pick<SubsystemTrialContext, 'datasetsDir' | 'log' | 'setAttr' | 'signal' | 'seed'>;

function interrupted(): WorkerError {
  return new WorkerError('zk: training was interrupted (signal aborted) before it finished', { code: 'INTERRUPTED' });
}

export function shapeOf(hp: ZkHyperparams): CircuitShape {
  return { d: hp.nFeatures, batch: hp.batchSize, fracBits: hp.fracBits };
}

async function start(hp: ZkHyperparams, ctx: Ctx): Promise<{ data: ZkData; session: ProvingSession; shape: CircuitShape }> {
  const shape = shapeOf(hp);
  const data = loadZkData(ctx.datasetsDir, hp.nFeatures, formatOf(shape));
  const session = await openSession({
    cacheDir: zkCacheDir(),
    shape,
    log: (m) => ctx.log('info', m),
    retry: { maxAttempts: hp.maxAttempts, baseDelayMs: 1000, signal: ctx.signal },
  });
  ctx.setAttr('zk_setup', `${session.keys.ptau.kind} powers of tau 2^${session.keys.ptau.power}`);
  ctx.setAttr('zk_constraints', session.keys.circuit.nConstraints);
  if (session.keys.ptau.kind === 'local') ctx.log('warn', `zk: ${LOCAL_SETUP_WARNING}`);
  return { data, session, shape };
}

export function epochMetrics(s: EpochSummary): Record<string, number> {
  return {
    train_loss: s.trainLoss,
    val_loss: s.valLoss,
    prove_ms: s.proveMs,
    witness_ms: s.witnessMs,
    verify_ms: s.verifyMs,
    proof_bytes: s.proofBytes,
    proof_retries: s.retries,
    proved_steps: s.steps,
  };
}

/**
 * One tuning trial; its proofs go under the zk cache (the kit gives a trial no folder of its own), named in
 * `proof_dir`. `askPrune` replaces `ctx.shouldPrune` where the answer comes from another process.
 */
export async function zkObjective(params: Readonly<Record<string, unknown>>, ctx: SubsystemTrialContext, askPrune?: () => Promise<boolean>): Promise<number> {
  const hp = parseZkHyperparams({ ...ZK_DEFAULTS, ...params });
  if (ctx.signal.aborted) throw interrupted();
  try {
    const { data, session, shape } = await start(hp, ctx);
    const dir = join(zkCacheDir(), 'trial-proofs', `t${ctx.trialNumber}-s${ctx.seed}-${Date.now()}-${randomBytes(3).toString('hex')}`);
    ctx.setAttr('proof_dir', dir);
    const { epochs, batchCap } = ctx.budget;
    let best = Infinity;
    const r = await trainProved({
      hp, data, session, shape, epochs, stepCap: batchCap, seed: ctx.seed, dir, signal: ctx.signal,
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

async function writeCheckpoint(dir: string, tag: 'best' | 'last', epoch: number, valLoss: number, m: TrainedModel, fracBits: number): Promise<void> {
  const body = { epoch, val_loss: valLoss, weights: m.weights.map(String), weights_real: m.weights.map((v) => fromFixed(v, { fracBits, valueBits: 0 })), commitment: m.commitment.toString(), salt: m.salt.toString() };
  await writeTextAtomically(join(dir, `${tag}.json`), `${JSON.stringify(body, null, 1)}\n`);
}

function testScores(ctx: FullTrainContext, hp: ZkHyperparams, data: ZkData, w: readonly bigint[]): Record<string, number> {
  const test = readSplit(join(ctx.datasetsDir, 'zk'), 'test');
  const f = formatOf(shapeOf(hp));
  const rows = test.rows.map((_, r) => fixedRow(test, r, data.standardisation, f, 'test'));
  const scale = 2 ** f.fracBits;
  const split = { xf: rows.map((r) => r.slice(0, -1).map((v) => Number(v) / scale)), yf: rows.map((r) => Number(r[r.length - 1]) / scale) };
  const meanY = data.train.yf.reduce((a, b) => a + b, 0) / data.train.yf.length;
  const wf = w.map((v) => Number(v) / scale);
  const correct = split.xf.filter((x, i) => (x.reduce((a, v, j) => a + wf[j] * v, wf[wf.length - 1]) >= 0.5 ? 1 : 0) === split.yf[i]).length;
  return {
    test_rows: rows.length,
    test_mse: mse(w, split, f.fracBits),
    test_mse_mean_baseline: split.yf.reduce((a, y) => a + (y - meanY) ** 2, 0) / split.yf.length,
    test_accuracy: correct / rows.length,
  };
}

/** Full training from a baseline config: every epoch proved, proofs under `<run>/proofs/`, checkpoints beside them. */
export async function zkFullTrain(config: Readonly<Record<string, unknown>>, ctx: FullTrainContext): Promise<FullTrainResult> {
  const merged = { ...ZK_DEFAULTS, ...config };
  const hp = parseZkHyperparams(merged);
  const epochs = paramReader('zk', merged).positiveInt('epochs');
  try {
    const { data, session, shape } = await start(hp, ctx);
    const dir = join(ctx.checkpointDir, 'proofs');
    let best = { valLoss: Infinity, epoch: 0, weights: [] as readonly bigint[] };
    let nSteps = 0;
    let proveMs = 0;
    const r = await trainProved({
      hp, data, session, shape, epochs, stepCap: null, seed: ctx.seed, dir, signal: ctx.signal,
      onStep: (s) => ctx.progress({ epoch: s.epoch, epochs, batch: s.step, batches: s.steps }),
      onEpoch: async (s, model) => {
        ctx.metrics(s.epoch, epochMetrics(s));
        nSteps += s.steps;
        proveMs += s.proveMs * s.steps;
        if (s.valLoss < best.valLoss) {
          best = { valLoss: s.valLoss, epoch: s.epoch, weights: model.weights };
          await writeCheckpoint(ctx.checkpointDir, 'best', s.epoch, s.valLoss, model, hp.fracBits);
        }
        await writeCheckpoint(ctx.checkpointDir, 'last', s.epoch, s.valLoss, model, hp.fracBits);
        return false;
      },
    });
    if (r.stoppedBy === 'signal' || ctx.signal.aborted) throw interrupted();
    return {
      value: best.valLoss,
      result: { ...testScores(ctx, hp, data, best.weights), best_epoch: best.epoch, proved_steps: nSteps, mean_prove_ms: proveMs / nSteps, proof_dir: dir, zk_setup: session.setupNote },
    };
  } finally {
    await releaseSnarkjs();
  }
}
