import { tune, type TuneOptions, type TuneSummary } from '../../runner/tune.js';
import { createProgress, type Progress } from '../../runner/progress.js';
import { formatNumber, formatParams, trialToJson } from '../format.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from '../state.js';
import { printJson } from './shared.js';

/** Runs the study, printing one plain line per event to stderr (stdout stays clean for --json). */
export async function runCommand(opts: TuneOptions & { json: boolean }): Promise<number> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\n${sig}: finishing running trials, no new ones (press again to force)\n`);
    controller.abort(sig);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: TuneSummary;
  let progress: Progress | undefined;
  try {
    summary = await tune({
      ...opts,
      signal: controller.signal,
      onInfo: (m) => process.stderr.write(`${m}\n`),
      onStart: (info) => {
        if (info.logFile !== null) process.stderr.write(`logs: ${info.logFile}\n`);
        progress = createProgress({
          stream: process.stderr,
          isTTY: process.stderr.isTTY === true,
          total: info.total,
          direction: info.direction,
          concurrency: Math.max(1, info.workers),
        });
      },
      onEvent: (e) => {
        if (e.type === 'trial-start') progress?.trialStarted(e.number, e.params);
        else if (e.type === 'trial-progress') progress?.trialProgress(e.number, e.progress);
        else if (e.type === 'trial-end') progress?.trialFinished(e.number, e.state, e.value);
        else if (e.level === 'warn' || e.level === 'error' || e.level === 'fatal') process.stderr.write(`trial ${e.number} ${e.level}: ${e.message}\n`);
      },
    });
  } finally {
    progress?.close();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  // Trials an interrupt stopped (or that it kept from starting) are INTERRUPTED, not failures: the exit is 130.
  const failed = summary.ran.filter((t) => t.state === 'FAIL' && t.error?.code !== 'INTERRUPTED');
  if (opts.json) {
    printJson({
      study: summary.study,
      storage: summary.storage,
      seed: summary.seed,
      direction: summary.direction,
      requested: summary.requested,
      interrupted: summary.interrupted,
      counts: summary.counts,
      best: summary.best === null ? null : trialToJson(summary.best),
      ran: summary.ran.map((t) => ({ number: t.number, state: t.state, value: t.value, params: t.params, error: t.error?.message ?? null })),
    });
  } else {
    const best = summary.best;
    process.stderr.write(
      `study '${summary.study}': ${summary.ran.length} trials run (${summary.counts.COMPLETE} COMPLETE, ${summary.counts.PRUNED} PRUNED, ` +
        `${summary.counts.FAIL} FAIL in total)` +
        (best !== null ? `; best #${best.number} value ${formatNumber(best.value)} ${formatParams(best.params)}` : '') +
        '\n',
    );
  }
  if (failed.length > 0) {
    const first = failed[0];
    process.stderr.write(
      `tune: ${failed.length} of ${summary.ran.length} trials failed; first, ${trialLabelled(first.number, first.error?.message ?? 'unknown error')}. ` +
        `Their errors and stacks are stored: \`tune trials --study ${summary.study} --state FAIL\`.\n`,
    );
    return EXIT_FAILURE;
  }
  return summary.interrupted ? EXIT_INTERRUPTED : EXIT_OK;
}

/**
 * `trial N: message`, once: a stored message that already names its trial ("trial 3 ran past the … timeout") is not
 * labelled again.
 */
function trialLabelled(number: number, message: string): string {
  return new RegExp(`^trial ${number}\\b`).test(message) ? message : `trial ${number}: ${message}`;
}
