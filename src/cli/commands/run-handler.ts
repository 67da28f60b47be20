import { tune, type TuneOptions, type TuneSummary } from '../../runner/tune.js';
import { createProgress, type Progress } from '../../runner/progress.js';
import { formatNumber, formatParams, trialToJson } from '../format.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from '../state.js';
import { resumeCommand } from './resume-command.js';
import { printJson } from './shared.js';

/** Runs the study, printing one plain line per event to stderr (stdout stays clean for --json). */
export async function runCommand(opts: TuneOptions & { json: boolean; argv: readonly string[] }): Promise<number> {
  const interrupts = listenForInterrupts();
  let summary: TuneSummary;
  let progress: Progress | undefined;
  try {
    summary = await tune({
      ...opts,
      signal: interrupts.signal,
      forceSignal: interrupts.force,
      onInfo: (m) => process.stderr.write(`${m}\n`),
      onStart: (info) => {
        if (info.logFile !== null) process.stderr.write(`logs: ${info.logFile}\n`);
        progress = createProgress({
          stream: process.stderr,
          isTTY: process.stderr.isTTY === true,
          total: info.total,
          direction: info.direction,
          concurrency: Math.max(1, info.workers),
          best: info.best === null || info.best.value === null ? null : { number: info.best.number, value: info.best.value },
        });
      },
      onEvent: (e) => {
        if (e.type === 'trial-start') progress?.trialStarted(e.number, e.params, e.trainWorkers);
        else if (e.type === 'trial-progress') progress?.trialProgress(e.number, e.progress);
        else if (e.type === 'trial-end') progress?.trialFinished(e.number, e.state, e.value);
        else if (e.level === 'warn' || e.level === 'error' || e.level === 'fatal') process.stderr.write(`trial ${e.number} ${e.level}: ${e.message}\n`);
      },
    });
  } finally {
    progress?.close();
    interrupts.dispose();
  }
  if (opts.json) printSummaryJson(summary, opts.argv);
  else printSummary(summary, { argv: opts.argv, signal: interrupts.signal });
  // Trials an interrupt stopped (or that it kept from starting) are INTERRUPTED, not failures: the exit is 130.
  const failed = summary.ran.filter((t) => t.state === 'FAIL' && t.error?.code !== 'INTERRUPTED');
  if (failed.length > 0) {
    const first = failed[0];
    process.stderr.write(
      `tune: ${failed.length} of ${summary.ran.length} trials failed; first, ${trialLabelled(first.number, first.error?.message ?? 'unknown error')}. ` +
        `Their errors and stacks are stored: \`tune trials --study ${summary.study} --state FAIL\`.\n`,
    );
  }
  if (summary.interrupted) return EXIT_INTERRUPTED;
  return failed.length > 0 ? EXIT_FAILURE : EXIT_OK;
}

interface Interrupts {
  /** Aborted on the first SIGINT/SIGTERM: no new trials; running ones get their grace period. */
  readonly signal: AbortSignal;
  /** Aborted on the second: running trials are stored FAIL (INTERRUPTED) at once and the run ends. */
  readonly force: AbortSignal;
  dispose(): void;
}

/**
 * First Ctrl-C: finish gracefully. Second: stop now, but through the run's own path, so every trial of this
 * process is stored before the exit. After that, the handlers are gone and a third Ctrl-C kills the process.
 */
function listenForInterrupts(): Interrupts {
  const graceful = new AbortController();
  const force = new AbortController();
  const dispose = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  function onSignal(sig: NodeJS.Signals): void {
    if (!graceful.signal.aborted) {
      process.stderr.write(`\n${sig}: finishing running trials, no new ones (press Ctrl-C again to stop them at once)\n`);
      graceful.abort(sig);
      return;
    }
    process.stderr.write(`\n${sig} again: stopping the running trials now; they are stored as FAIL (code INTERRUPTED)\n`);
    force.abort(sig);
    dispose();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: graceful.signal, force: force.signal, dispose };
}

function interruptedTrials(summary: TuneSummary): number {
  return summary.ran.filter((t) => t.state === 'FAIL' && t.error?.code === 'INTERRUPTED').length;
}

function printSummary(summary: TuneSummary, o: { argv: readonly string[]; signal: AbortSignal }): void {
  const best = summary.best;
  const how = summary.interrupted ? ` interrupted by ${typeof o.signal.reason === 'string' ? o.signal.reason : 'an abort'}` : '';
  const n = summary.ran.length;
  process.stderr.write(
    `study '${summary.study}'${how}: ${n} trial${n === 1 ? '' : 's'} run ` +
      `(${summary.counts.COMPLETE} COMPLETE, ${summary.counts.PRUNED} PRUNED, ${summary.counts.FAIL} FAIL in total)` +
      (best !== null ? `; best #${best.number} value ${formatNumber(best.value)} ${formatParams(best.params)}` : '') +
      '\n',
  );
  const grid = gridLine(summary);
  if (grid !== null) process.stderr.write(`${grid}\n`);
  const resume = resumeLine(summary, o.argv);
  if (resume !== null) process.stderr.write(`${resume}\n`);
}

/** When this run covered the last points of a grid: say so, and how many it added. */
function gridLine(summary: TuneSummary): string | null {
  const c = summary.coverage;
  // Already covered before the run: the opening line said there was nothing to run.
  if (c === null || c.nAfter < c.nPoints || c.nBefore >= c.nPoints) return null;
  const stopped = summary.planned < summary.requested ? `; stopped after ${summary.planned} of the ${summary.requested} trials asked for` : '';
  return `grid exhausted: all ${c.nPoints} points have a trial (${c.nAfter - c.nBefore} run now, ${c.nBefore} before)${stopped}`;
}

/** After an interrupt: what `--resume` would do, and the command for it. */
function resumeLine(summary: TuneSummary, argv: readonly string[]): string | null {
  if (!summary.interrupted) return null;
  const missing = summary.targetComplete - summary.counts.COMPLETE;
  if (missing <= 0) return `tune: interrupted, but every trial this run set out to do is COMPLETE; nothing is left to resume.`;
  const k = interruptedTrials(summary);
  const rerun =
    k === 0
      ? ''
      : `; the ${k} interrupted trial${k === 1 ? '' : 's'} (stored FAIL, code INTERRUPTED) will be re-run as ${k === 1 ? 'a new trial' : 'new trials'}`;
  return (
    `tune: to finish, run \`${resumeCommand(argv, summary.targetComplete)}\`: ` +
    `it tops the study up to ${summary.targetComplete} COMPLETE trials (it has ${summary.counts.COMPLETE})${rerun}.`
  );
}

function printSummaryJson(summary: TuneSummary, argv: readonly string[]): void {
  printJson({
    study: summary.study,
    storage: summary.storage,
    seed: summary.seed,
    direction: summary.direction,
    requested: summary.requested,
    planned: summary.planned,
    interrupted: summary.interrupted,
    counts: summary.counts,
    best: summary.best === null ? null : trialToJson(summary.best),
    grid: summary.coverage === null ? null : { ...summary.coverage, exhausted: summary.coverage.nAfter >= summary.coverage.nPoints },
    resume: summary.interrupted
      ? { command: resumeCommand(argv, summary.targetComplete), targetComplete: summary.targetComplete, interruptedTrials: interruptedTrials(summary) }
      : null,
    ran: summary.ran.map((t) => ({ number: t.number, state: t.state, value: t.value, params: t.params, error: t.error?.message ?? null })),
  });
}

/**
 * `trial N: message`, once: a stored message that already names its trial ("trial 3 ran past the … timeout") is not
 * labelled again.
 */
function trialLabelled(number: number, message: string): string {
  return new RegExp(`^trial ${number}\\b`).test(message) ? message : `trial ${number}: ${message}`;
}
