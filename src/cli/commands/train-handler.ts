import { resolve } from 'node:path';
import { readBaseline } from '../../baseline/baseline.js';
import { runFullTraining } from '../../baseline/full-train.js';
import { loadConfig } from '../../config/load.js';
import type { TrialProgress } from '../../core/objective-context.js';
import { resolveStorageUrl } from '../../runner/tune.js';
import { openStorage } from '../../storage/open.js';
import { formatNumber, formatResults } from '../format.js';
import { EXIT_OK } from '../state.js';
import { printJson } from './shared.js';

/** `tune train --baseline <file>`: full training recorded as a run with per-epoch metrics in the store. */
export async function trainCommand(opts: { baselinePath: string; config?: string; storage?: string; epochs?: number; backend: string; trainWorkers?: number; json: boolean }): Promise<number> {
  const baseline = readBaseline(opts.baselinePath);
  const { config: tuningConfig } = await loadConfig(opts.config);
  const storage = await openStorage(await resolveStorageUrl({ storage: opts.storage, config: opts.config }));
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const say = (m: string): void => {
    process.stderr.write(`${m}\n`);
  };
  try {
    const run = await runFullTraining({
      baseline,
      storage,
      datasetsDir: resolve(tuningConfig.datasetsDir ?? 'datasets'),
      studiesDir: resolve(tuningConfig.studiesDir ?? 'studies'),
      epochs: opts.epochs,
      backend: opts.backend,
      ...(opts.trainWorkers === undefined ? {} : { trainWorkers: opts.trainWorkers }),
      signal: controller.signal,
      onStart: ({ run, checkpointDir, epochs }) =>
        say(`run ${run.runId}: full training of ${run.subsystem} from trial #${baseline.provenance.trialNumber} of '${baseline.provenance.study}' for ${epochs} epochs; checkpoints in ${checkpointDir}`),
      onLog: (level, message) => {
        if (level !== 'debug' && level !== 'trace') say(message);
      },
      // Per-epoch records hold val_loss or the study's own metric (fhe: val_log_loss); per-step series (a
      // subsystem's loss terms, fhe's scale health) are stored, not printed.
      onMetrics: (step, values) => {
        if (Object.hasOwn(values, 'val_loss') || (baseline.metric !== null && Object.hasOwn(values, baseline.metric))) say(`epoch ${step}: ${Object.entries(values).map(([k, v]) => `${k}=${formatNumber(v)}`).join(' ')}`);
      },
      onProgress: trainProgress(),
    });
    if (opts.json) printJson(run);
    else say(`run ${run.runId} COMPLETE: ${run.subsystem} ${formatNumber(run.result?.['value'] as number)}; results stored (tune runs --json)\n${formatResults(run.result ?? {})}`);
    return EXIT_OK;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await storage.close();
  }
}

/**
 * Progress of a long full-training run on stderr: a line redrawn in place on a terminal, else a plain line at most
 * every 15 s (CI logs stay readable, and a silent run never looks hung).
 */
function trainProgress(): (p: TrialProgress) => void {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < (tty ? 200 : 15_000)) return;
    last = now;
    const text = `epoch ${p.epoch ?? '?'}/${p.epochs ?? '?'}, batch ${p.batch ?? '?'}/${p.batches ?? '?'}`;
    process.stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
  };
}
