/**
 * Data-parallel training of a subsystem (`tune train --train-workers N`): the calling thread is replica 0, the
 * leader, and N−1 worker threads (replica-worker.ts) are the others. Every replica parses the same params, loads
 * the same data, builds the model from the same seed and trains with the same loop options on its own share of
 * each batch (`TrainingEngine.trainShares`); gradients are averaged every step through one SharedArrayBuffer in a
 * fixed order (ml/data-parallel/), so the replicas stay bit-identical (checked after every epoch) and the losses
 * are the single worker's up to float summation order. Only the leader validates, checkpoints and reports.
 * Dropout: the optimizer keys its masks by batch, circuit and row (ml/layers/keyed-dropout.ts), so its replicas draw
 * the single worker's masks exactly; the cllm draws them per replica from the model's seeded stream, so with dropout
 * its run is repeatable but not the single worker's draw for draw.
 */
import { Worker } from 'node:worker_threads';
import { ConfigError, TrainingError, WorkerError, toTrialError } from '../errors.js';
import { createExchange, GradientExchange } from '../ml/data-parallel/gradient-exchange.js';
import type { Share, ShareOf } from '../ml/data-parallel/shares.js';
import type { TrainingHyperparams } from '../ml/hyperparams.js';
import type { ReplicaGroup, ReplicaJob, ReplicaOutcome, ReplicaParts } from './replica-types.js';
import { commonTrainOptions, type EngineModel, type TrainingEngine, type TrainingSubsystemSpec, type TrainModelOptions } from './harness.js';

/** The most train workers accepted: beyond the cores of any machine parzen runs on, a typo rather than a plan. */
export const MAX_TRAIN_WORKERS = 64;

/** `--train-workers`: an integer in [1, MAX_TRAIN_WORKERS]; ConfigError (USAGE) naming the flag otherwise. */
export function checkTrainWorkers(n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_TRAIN_WORKERS) {
    throw new ConfigError(`--train-workers: expected an integer from 1 to ${MAX_TRAIN_WORKERS} (the worker threads that share each batch), got ${String(n)}`, { code: 'USAGE' });
  }
  return n;
}

function replicaParts<H extends TrainingHyperparams, D, B>(
  engine: TrainingEngine<H, D, B, EngineModel<B>>,
  model: EngineModel<B>,
  o: { readonly data: D; readonly hp: H; readonly seed: number; readonly exchange: GradientExchange; readonly share: ShareOf; readonly subsystem: string },
): ReplicaParts<B> {
  const shares = engine.trainShares;
  if (shares === undefined) throw new ConfigError(`--train-workers: subsystem '${o.subsystem}' cannot split its batches among workers; use --train-workers 1`, { code: 'USAGE' });
  return {
    model: {
      variables: model.variables,
      loss: (s, training) => {
        if (s.batch === null) throw new TrainingError(`train workers: replica ${o.share.rank} was asked the loss of an empty share`, { code: 'SHAPE' });
        return model.loss(s.batch, training);
      },
      ...(model.decays === undefined ? {} : { decays: model.decays.bind(model) }),
      ...(model.lrScale === undefined ? {} : { lrScale: model.lrScale.bind(model) }),
      ...(model.inspectGradients === undefined ? {} : { inspectGradients: model.inspectGradients.bind(model) }),
    },
    trainBatches: (epoch) => shares.call(engine, o.data, o.hp, { seed: o.seed, epoch, share: o.share }),
    dataParallel: { exchange: o.exchange, examples: (s) => s.examples },
  };
}

/**
 * The leader's half: check the worker count against the subsystem and batch, allocate the exchange for the
 * model's parameters, start replicas 1…N−1 on worker threads, and return the leader's loop parts.
 */
export function startReplicas<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(
  engine: TrainingEngine<H, D, B, M>,
  model: M,
  o: TrainModelOptions<H, D, B, M>,
): ReplicaGroup<B> {
  const spec = o.replicas;
  if (spec === undefined) throw new TrainingError('train workers: startReplicas needs `replicas`');
  const n = checkTrainWorkers(spec.count);
  if (o.hp.batchSize < n) throw new ConfigError(`--train-workers: ${n} workers cannot share batches of batch_size ${o.hp.batchSize}; use at most ${o.hp.batchSize} workers or a larger batch_size`, { code: 'USAGE' });
  const layout = createExchange(n, model.variables.reduce((s, v) => s + v.size, 0));
  const exchange = new GradientExchange(layout, 0);
  const leader = replicaParts(engine, model, { data: o.data, hp: o.hp, seed: o.seed, exchange, share: { rank: 0, nShares: n }, subsystem: spec.subsystem });
  const base = {
    subsystem: spec.subsystem, moduleUrl: spec.moduleUrl, params: spec.params, datasetsDir: spec.datasetsDir,
    seed: o.seed, epochs: o.epochs, batchCap: o.batchCap, mode: o.mode, earlyStopping: o.earlyStopping === true, layout,
  };
  const threads = Array.from({ length: n - 1 }, (_, i) => startThread({ ...base, share: { rank: i + 1, nShares: n } }));
  const outcomes = (): Promise<ReplicaOutcome[]> => Promise.all(threads.map((t) => t.outcome));
  return {
    leader,
    finish: async () => {
      const failed = (await outcomes()).findIndex((r) => !r.ok);
      if (failed >= 0) throw replicaError(failed + 1, (await outcomes())[failed]);
    },
    fail: async (e) => {
      exchange.abort();
      const all = await outcomes();
      const by = exchange.abortedBy;
      return by !== null && by > 0 ? replicaError(by, all[by - 1]) : e;
    },
  };
}

function replicaError(rank: number, r: ReplicaOutcome): WorkerError {
  const what = r.ok ? 'ended without training' : `${r.error.message}${r.error.code === null ? '' : ` [${r.error.code}]`}`;
  return new WorkerError(`train workers: replica ${rank} failed: ${what}`);
}

/**
 * A replica's thread, and its outcome (a crash or an exit without a message is a failure too), settled once the
 * thread has exited: when `finish` or `fail` returns, no replica thread is left running.
 */
function startThread(job: ReplicaJob): { outcome: Promise<ReplicaOutcome> } {
  const w = new Worker(new URL('./replica-worker.js', import.meta.url), { workerData: job });
  const outcome = new Promise<ReplicaOutcome>((resolve) => {
    let reported: ReplicaOutcome | undefined;
    w.once('message', (m: ReplicaOutcome) => {
      reported = m;
      void w.terminate();
    });
    w.once('error', (e) => {
      reported ??= { ok: false, error: toTrialError(e) };
    });
    w.once('exit', (code) => resolve(reported ?? { ok: false, error: { message: `its thread exited (code ${code}) before reporting`, stack: null, code: 'WORKER' } }));
  });
  return { outcome };
}

/** A replica other than the leader, on its own thread: the same model and loop on its shares; no validation. */
export async function runReplica<H extends TrainingHyperparams, D, B, M extends EngineModel<B>>(spec: TrainingSubsystemSpec<H, D, B, M>, job: ReplicaJob): Promise<void> {
  const exchange = new GradientExchange(job.layout, job.share.rank);
  const hp = spec.parseHyperparams(job.params);
  const [{ initBackend }, { train }] = await Promise.all([import('../ml/backend.js'), import('../ml/train-loop.js')]);
  await initBackend(hp.backend);
  const engine = await spec.loadEngine();
  const data = await engine.loadData(job.datasetsDir, hp);
  const model = engine.createModel(hp, data, job.seed);
  try {
    await train<Share<B>>({
      ...commonTrainOptions(engine, { hp, data, epochs: job.epochs, batchCap: job.batchCap, earlyStopping: job.earlyStopping }),
      ...replicaParts(engine, model, { data, hp, seed: job.seed, exchange, share: job.share, subsystem: job.subsystem }),
      valLoss: () => {
        throw new TrainingError(`train workers: replica ${job.share.rank} was asked to validate; only replica 0 does`);
      },
    });
  } finally {
    model.dispose();
  }
}
