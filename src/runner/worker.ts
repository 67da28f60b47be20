/**
 * Worker-thread entry of the trial pool (piscina calls the default export once per trial).
 *
 * It loads the trial's target (cached per thread, keyed by its spec, so a module or subsystem is imported once per
 * worker) and runs it through the same `executeTrial` as the in-process runner, with a `TrialEvents` that streams
 * every call to the main thread over the task's MessagePort. The worker never touches the store.
 */
import { toTrialError } from '../errors.js';
import type { MessagePort } from 'node:worker_threads';
import { executeTrial } from './execute.js';
import { awaitPruneVerdict, isCancelled, type MainToWorker, type WorkerTask, type WorkerToMain } from './protocol.js';
import type { TrialEvents, TrialOutcome } from './runner.js';
import { loadTarget, type LoadedTarget, type TargetSpec } from './target.js';

const targets = new Map<string, Promise<LoadedTarget>>();

/** Load a target once per worker thread; a failed load is forgotten so the next trial retries it. */
function cachedTarget(spec: TargetSpec): Promise<LoadedTarget> {
  const key = JSON.stringify(spec);
  let target = targets.get(key);
  if (target === undefined) {
    target = loadTarget(spec);
    targets.set(key, target);
    target.catch(() => targets.delete(key));
  }
  return target;
}

function post(port: MessagePort, message: WorkerToMain): void {
  port.postMessage(message);
}

/**
 * `TrialEvents` for the objective's context: each call becomes one protocol message. A training loop that never
 * yields to the event loop never receives the cancel message, but it asks the pruner after every epoch: a cancel
 * found in the control block then aborts `controller` too, so the loop's next signal check stops it.
 */
function streamingEvents(port: MessagePort, control: SharedArrayBuffer, controller: AbortController): TrialEvents {
  let seq = 0;
  return {
    report: (step, value) => post(port, { type: 'report', seq: ++seq, step, value }),
    metrics: (step, values) => post(port, { type: 'metrics', step, values }),
    log: (level, message, data) => post(port, data === undefined ? { type: 'log', level, message } : { type: 'log', level, message, data }),
    progress: (progress) => post(port, { type: 'progress', progress }),
    setAttr: (key, value) => post(port, { type: 'setAttr', key, value }),
    shouldPrune: () => {
      const verdict = awaitPruneVerdict(control, seq);
      if (isCancelled(control) && !controller.signal.aborted) controller.abort(new Error('trial cancelled by the main thread'));
      return verdict;
    },
  };
}

/** Abort `controller` when the main thread cancels: by message, or already in the control block. */
function listenForCancel(port: MessagePort, control: SharedArrayBuffer, controller: AbortController): void {
  port.on('message', (message: MainToWorker) => {
    if (message.type === 'cancel') controller.abort(new Error(message.reason));
  });
  // A cancel posted before this listener existed is still queued on the port; the flag covers a cancel that raced it.
  if (isCancelled(control)) controller.abort(new Error('trial cancelled by the main thread'));
}

/** Run one trial; the outcome is posted as the port's last message and also returned to piscina. */
export default async function runTrialTask(task: WorkerTask): Promise<TrialOutcome> {
  const { job, port, control } = task;
  const controller = new AbortController();
  listenForCancel(port, control, controller);
  let outcome: TrialOutcome;
  try {
    const target = await cachedTarget(job.target);
    post(port, { type: 'started' });
    outcome = await executeTrial(target, job, streamingEvents(port, control, controller), controller.signal);
  } catch (e) {
    // loadTarget's ObjectiveError (missing module, wrong export): a failed trial with its code, as in-process.
    outcome = { state: 'FAIL', error: toTrialError(e) };
  }
  post(port, { type: 'done', outcome });
  port.close();
  return outcome;
}
