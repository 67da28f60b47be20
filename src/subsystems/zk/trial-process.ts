/**
 * Child-process entry of a zk trial started from a worker thread (trial-bridge.ts): runs the objective with a
 * context whose every call is a message to the parent, and asks the parent whether to prune after each epoch.
 */
import { describeError, ParzenError, TrialPruned } from '../../errors.js';
import type { SubsystemTrialContext } from '../subsystem.js';
import type { FromChild, ToChild } from './trial-protocol.js';

const send = (m: FromChild): void => void process.send?.(m);
const abort = new AbortController();
let answer: ((prune: boolean) => void) | undefined;
let lastPrune = false;

async function run(start: Extract<ToChild, { type: 'start' }>): Promise<void> {
  const { zkObjective } = await import('./engine.js');
  const ctx: SubsystemTrialContext = {
    trialNumber: start.trialNumber,
    seed: start.seed,
    budget: start.budget,
    datasetsDir: start.datasetsDir,
    ...(start.trialDir === undefined ? {} : { trialDir: start.trialDir }),
    signal: abort.signal,
    report: (step, value) => send({ type: 'report', step, value }),
    metrics: (step, values) => send({ type: 'metrics', step, values }),
    log: (level, message, data) => send({ type: 'log', level, message, ...(data !== undefined ? { data } : {}) }),
    progress: (p) => send({ type: 'progress', p }),
    setAttr: (key, value) => send({ type: 'attr', key, value }),
    // The engine asks the parent after each report (askPrune, below); this is that answer.
    shouldPrune: () => lastPrune,
    prune: (message) => {
      throw new TrialPruned(message);
    },
  };
  try {
    const value = await zkObjective(start.params, ctx, askPrune);
    send({ type: 'done', value });
  } catch (e) {
    if (e instanceof TrialPruned) send({ type: 'pruned', message: e.message });
    else {
      const { message, stack } = describeError(e);
      send({ type: 'failed', code: e instanceof ParzenError ? e.code : null, message, stack });
    }
  }
}

function askPrune(): Promise<boolean> {
  return new Promise((resolve) => {
    answer = (p) => {
      lastPrune = p;
      resolve(p);
    };
    send({ type: 'should-prune' });
  });
}

process.on('message', (m: ToChild) => {
  if (m.type === 'start') void run(m).finally(() => process.disconnect());
  else if (m.type === 'prune-answer') answer?.(m.prune);
  else abort.abort();
});
