import { ObjectiveError, TrialPruned, toTrialError } from '../errors.js';
import type { ObjectiveContext } from '../study/objective.js';
import type { TrialEvents, TrialJob, TrialOutcome } from './runner.js';
import type { LoadedTarget } from './target.js';

/**
 * Run one trial's objective and classify the result. Shared by the in-process runner and the worker entry, so a
 * trial behaves the same wherever it runs: a TrialPruned throw → PRUNED, any other throw → FAIL with its stack,
 * a NaN or non-number result → FAIL with OBJECTIVE_VALUE.
 */
export async function executeTrial(target: LoadedTarget, job: TrialJob, events: TrialEvents, signal: AbortSignal): Promise<TrialOutcome> {
  const ctx: ObjectiveContext = {
    trialNumber: job.trialNumber,
    seed: job.seed,
    budget: job.budget,
    signal,
    report: (step, value) => events.report(step, value),
    metrics: (step, values) => events.metrics(step, values),
    log: (level, message, data) => events.log(level, message, data),
    progress: (p) => events.progress(p),
    setAttr: (key, value) => events.setAttr(key, value),
    shouldPrune: () => events.shouldPrune(),
  };
  let value: unknown;
  try {
    value = await target.run(job.params, ctx);
  } catch (e) {
    if (e instanceof TrialPruned || (e instanceof Error && (e as { code?: unknown }).code === 'TRIAL_PRUNED')) return { state: 'PRUNED' };
    return { state: 'FAIL', error: toTrialError(e) };
  }
  if (typeof value !== 'number' || Number.isNaN(value)) {
    const err = new ObjectiveError(
      `trial ${job.trialNumber}: the objective returned ${typeof value === 'number' ? 'NaN' : JSON.stringify(value) ?? String(value)}, ` +
        'not a number; return a finite number (or ±Infinity), or throw to fail the trial',
      { code: 'OBJECTIVE_VALUE' },
    );
    return { state: 'FAIL', error: toTrialError(err) };
  }
  return { state: 'COMPLETE', value };
}
