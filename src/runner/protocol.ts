/**
 * The one message protocol between the pool's main thread and its worker threads.
 *
 * A trial travels as a {@link WorkerTask}: the job (plain data), a MessagePort (transferred with the task) and a small
 * SharedArrayBuffer control block. Everything the objective does that the store must see (reports, metrics, logs,
 * progress, attributes) is posted over the port as a {@link PoolMessage}; the main thread — the only writer to the
 * store — turns each into a `TrialEvents` call. The trial's outcome is the last message on that same port, so by the
 * time the main thread has it, every event the objective emitted before returning has been delivered, in order.
 *
 * `ctx.shouldPrune()` is synchronous for the objective, but the pruner runs on the main thread. So each `report`
 * carries a sequence number; the main thread answers it by storing the pruner's verdict and the acknowledged
 * sequence number in the control block (Atomics.store + Atomics.notify), and the worker's `shouldPrune()` blocks on
 * Atomics.wait until its latest report is acknowledged. A cancel request is mirrored there too, because a worker
 * blocked in Atomics.wait cannot receive port messages.
 */
import type { MessagePort } from 'node:worker_threads';
import type { AttrValue, Attrs, LogLevel } from '../core/frozen.js';
import type { TrialJob, TrialOutcome, TrialProgress } from './runner.js';

/** Every message main ⇄ worker. `cancel` flows main → worker; all others worker → main. */
export type PoolMessage =
  /** The target is loaded and the objective starts now: the trial timeout counts from here. */
  | { readonly type: 'started' }
  | { readonly type: 'report'; readonly seq: number; readonly step: number; readonly value: number }
  | { readonly type: 'metrics'; readonly step: number; readonly values: Readonly<Record<string, number>> }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string; readonly data?: Attrs }
  | { readonly type: 'progress'; readonly progress: TrialProgress }
  | { readonly type: 'setAttr'; readonly key: string; readonly value: AttrValue }
  | { readonly type: 'done'; readonly outcome: TrialOutcome }
  | { readonly type: 'cancel'; readonly reason: string };

export type WorkerToMain = Exclude<PoolMessage, { readonly type: 'cancel' }>;
export type MainToWorker = Extract<PoolMessage, { readonly type: 'cancel' }>;

/** What piscina hands the worker entry for one trial. The port must be in the task's transferList. */
export interface WorkerTask {
  readonly job: TrialJob;
  readonly port: MessagePort;
  readonly control: SharedArrayBuffer;
}

/** Int32 slots of the control block. */
const ACKED_SEQ = 0;
const PRUNE = 1;
const CANCEL = 2;
const N_SLOTS = 3;

/** A fresh control block for one trial: nothing acknowledged, no prune verdict, not cancelled. */
export function createControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(N_SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Main thread: publish the pruner's verdict for report `seq`. The verdict is written before the sequence number, so
 * a worker that sees `seq` acknowledged also sees the verdict that goes with it (Atomics are sequentially consistent).
 */
export function publishPruneVerdict(control: SharedArrayBuffer, seq: number, prune: boolean): void {
  const slots = new Int32Array(control);
  Atomics.store(slots, PRUNE, prune ? 1 : 0);
  Atomics.store(slots, ACKED_SEQ, seq);
  Atomics.notify(slots, ACKED_SEQ);
}

/** Main thread: mark the trial cancelled and wake a worker blocked in {@link awaitPruneVerdict}. */
export function publishCancel(control: SharedArrayBuffer): void {
  const slots = new Int32Array(control);
  Atomics.store(slots, CANCEL, 1);
  Atomics.notify(slots, ACKED_SEQ);
}

/** Worker: whether the main thread asked this trial to stop. */
export function isCancelled(control: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(control), CANCEL) === 1;
}

/**
 * Worker: block until report `seq` has been judged by the main thread's pruner, then return its verdict.
 * `seq` 0 means nothing was reported yet, so there is nothing to prune on (as `Trial.shouldPrune` says).
 * Returns false early if the trial is cancelled: the objective then learns of it through `ctx.signal`.
 */
export function awaitPruneVerdict(control: SharedArrayBuffer, seq: number): boolean {
  if (seq === 0) return false;
  const slots = new Int32Array(control);
  for (;;) {
    const acked = Atomics.load(slots, ACKED_SEQ);
    if (acked >= seq) return Atomics.load(slots, PRUNE) === 1;
    if (Atomics.load(slots, CANCEL) === 1) return false;
    // Bounded waits, so a missed notify can never park the worker forever; the main thread answers in microseconds.
    Atomics.wait(slots, ACKED_SEQ, acked, 1000);
  }
}
