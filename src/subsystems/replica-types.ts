/**
 * The types a data-parallel run shares between the harness, the subsystem interface and the replica threads, apart
 * from subsystems/data-parallel.ts (which imports the harness) so that none of them imports in a circle.
 */
import type { ExchangeLayout } from '../ml/data-parallel/gradient-exchange.js';
import type { Share, ShareOf } from '../ml/data-parallel/shares.js';
import type { DataParallel, TrainableModel } from '../ml/train-types.js';
import type { TrialError } from '../errors.js';

/** Whether the loss is wanted for a tuning trial (which may score a fixed validation subset) or full training. */
export type TrainingMode = 'tune' | 'full';

/** What replica `share.rank`'s thread is given (plain data, posted to it). */
export interface ReplicaJob {
  readonly subsystem: string;
  readonly moduleUrl: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly datasetsDir: string;
  readonly seed: number;
  readonly epochs: number;
  readonly batchCap: number | null;
  readonly mode: TrainingMode;
  readonly earlyStopping: boolean;
  readonly layout: ExchangeLayout;
  readonly share: ShareOf;
}

/** What a replica's thread posts back when it ends. */
export type ReplicaOutcome = { readonly ok: true } | { readonly ok: false; readonly error: TrialError };

/** The model, batches and exchange a replica hands the loop (its batches are shares of the real ones). */
export interface ReplicaParts<B> {
  readonly model: TrainableModel<Share<B>>;
  trainBatches(epoch: number): Iterable<Share<B>>;
  readonly dataParallel: DataParallel<Share<B>>;
}

export interface ReplicaGroup<B> {
  readonly leader: ReplicaParts<B>;
  /** After the leader's training returned: wait for the others; throws the first one's failure. */
  finish(): Promise<void>;
  /** After the leader's training threw `e`: stop the others and return the error to report (the replica's own when one of them failed first). */
  fail(e: unknown): Promise<unknown>;
}
