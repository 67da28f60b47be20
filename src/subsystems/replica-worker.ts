/**
 * The thread of one data-parallel replica other than the leader (subsystems/data-parallel.ts): imports the
 * subsystem's module, trains its shares, and posts how it ended. A failure anywhere (the module, the data, a step)
 * aborts the shared exchange first, so the other replicas stop at once instead of waiting out a barrier.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, toTrialError } from '../errors.js';
import { GradientExchange } from '../ml/data-parallel/gradient-exchange.js';
import type { ReplicaJob, ReplicaOutcome } from './replica-types.js';
import { loadSubsystemModule } from './registry.js';

const job = workerData as ReplicaJob;
let outcome: ReplicaOutcome;
try {
  const sub = await loadSubsystemModule(job.moduleUrl, job.subsystem);
  if (sub.trainReplica === undefined) throw new ConfigError(`--train-workers: subsystem '${job.subsystem}' does not train data-parallel; use --train-workers 1`, { code: 'USAGE' });
  await sub.trainReplica(job);
  outcome = { ok: true };
} catch (e) {
  new GradientExchange(job.layout, job.share.rank).abort();
  outcome = { ok: false, error: toTrialError(e) };
}
parentPort?.postMessage(outcome);
