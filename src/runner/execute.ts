import { ObjectiveError, TrialPruned, toTrialError } from '../errors.js';
import { prunedAnywayMessage } from '../core/objective-context.js';
import type { ObjectiveContext } from '../study/objective.js';
import type { TrialEvents, TrialJob, TrialOutcome } from './runner.js';
import type { LoadedTarget } from './target.js';

/**
 * Run one trial's objective and classify the result. Shared by the in-process runner and the worker entry, so a
 * trial behaves the same wherever it runs: a TrialPruned throw (`ctx.prune()`) → PRUNED, any other throw → FAIL with
 * its stack, a NaN or non-number result → FAIL with OBJECTIVE_VALUE. A prune verdict holds: once `ctx.shouldPrune()`
 * has answered true, a returned value (even NaN) → PRUNED, with a warning on the trial's log.
 *
 * The verdict is computed on the main thread (Trial.pruneVerdict, answered through the pool's control block), but
 * only this function knows whether the objective was *told*: the pool answers every report, asked or not.
 */
export async function executeTrial(target: LoadedTarget, job: TrialJob, events: TrialEvents, signal: AbortSignal): Promise<TrialOutcome> {
  let lastStep: number | null = null;
  let prunedAtStep: number | null = null;
  const ctx: ObjectiveContext = {
    trialNumber: job.trialNumber,
    seed: job.seed,
    budget: job.budget,
    signal,
    report: (step, value) => {
      events.report(step, value);
      lastStep = lastStep === null ? step : Math.max(lastStep, step);
    },
    metrics: (step, values) => events.metrics(step, values),
    log: (level, message, data) => events.log(level, message, data),
    progress: (p) => events.progress(p),
    setAttr: (key, value) => events.setAttr(key, value),
    shouldPrune: () => {
      const verdict = events.shouldPrune();
      if (verdict && prunedAtStep === null) prunedAtStep = lastStep ?? 0;
      return verdict;
    },
    prune: (message) => {
      throw new TrialPruned(message ?? `pruned at step ${lastStep ?? 'none'}`);
    },
  };
  let value: unknown;
  try {
    value = await target.run(job.params, ctx, { trainWorkers: job.trainWorkers ?? 1 });
  } catch (e) {
    if (e instanceof TrialPruned || (e instanceof Error && (e as { code?: unknown }).code === 'TRIAL_PRUNED')) return { state: 'PRUNED' };
    return { state: 'FAIL', error: toTrialError(e) };
  }
  if (prunedAtStep !== null) {
    events.log('warn', prunedAnywayMessage(prunedAtStep, value), { prunedAtStep });
    return { state: 'PRUNED' };
  }
  if (typeof value !== 'number' || Number.isNaN(value)) {
    // No "trial N:" here: the error is stored on trial N, and whoever shows it with its number adds the label once.
    const err = new ObjectiveError(
      `the objective returned ${typeof value === 'number' ? 'NaN' : JSON.stringify(value) ?? String(value)}, ` +
        'not a number; return a finite number (or ±Infinity), or throw to fail the trial',
      { code: 'OBJECTIVE_VALUE' },
    );
    return { state: 'FAIL', error: toTrialError(err) };
  }
  return { state: 'COMPLETE', value };
}
