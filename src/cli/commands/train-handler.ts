import { toTrialError } from '../../errors.js';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readBaseline } from '../../baseline/baseline.js';
import { loadConfig } from '../../config/load.js';
import { resolveStorageUrl } from '../../runner/tune.js';
import { openStorage } from '../../storage/open.js';
import type { AttrValue } from '../../core/frozen.js';
import { loadSubsystem } from '../../subsystems/registry.js';
import type { FullTrainContext } from '../../subsystems/subsystem.js';
import { codeVersion } from '../../util/code-version.js';
import { formatNumber } from '../format.js';
import { EXIT_OK } from '../state.js';
import { printJson } from './shared.js';

/** `tune train --config <baseline>`: full training recorded as a run with per-epoch metrics in the store. */
export async function trainCommand(opts: { baselinePath: string; storage?: string; epochs?: number; backend: string; json: boolean }): Promise<number> {
  const baseline = readBaseline(opts.baselinePath);
  const sub = await loadSubsystem(baseline.subsystem as string);
  const { config: tuningConfig } = await loadConfig();
  const datasetsDir = resolve(tuningConfig.datasetsDir ?? 'datasets');
  const studiesDir = resolve(tuningConfig.studiesDir ?? 'studies');
  const config: Record<string, AttrValue> = { ...baseline.config, backend: opts.backend };
  if (opts.epochs !== undefined) config['epochs'] = opts.epochs;
  const seed = baseline.provenance.objectiveSeed ?? baseline.provenance.seed ?? 0;
  const log = (m: string): void => {
    process.stderr.write(`${m}\n`);
  };
  await sub.prepare({ datasetsDir, seed, log });
  const storage = await openStorage(await resolveStorageUrl({ storage: opts.storage }));
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const run = await storage.createRun({ studyName: baseline.provenance.study, subsystem: sub.name, config, codeVersion: codeVersion() });
    const checkpointDir = join(studiesDir, baseline.provenance.study, 'runs', String(run.runId));
    mkdirSync(checkpointDir, { recursive: true });
    log(`run ${run.runId}: full training of ${sub.name} from trial #${baseline.provenance.trialNumber} of '${baseline.provenance.study}' for ${String(config['epochs'])} epochs; checkpoints in ${checkpointDir}`);
    const writes: Promise<void>[] = [];
    const attrs: Record<string, AttrValue> = {};
    const owner = { runId: run.runId };
    const ctx: FullTrainContext = {
      seed,
      budget: { epochs: Number(config['epochs']), batchCap: null },
      signal: controller.signal,
      checkpointDir,
      datasetsDir,
      metrics: (step, values) => {
        writes.push(storage.appendMetrics(owner, Object.entries(values).map(([name, value]) => ({ name, step, value, timestamp: Date.now() }))));
        log(`epoch ${step}: ${Object.entries(values).map(([k, v]) => `${k}=${formatNumber(v)}`).join(' ')}`);
      },
      log: (level, message, data) => {
        writes.push(storage.appendLogs(owner, [{ level, message, timestamp: Date.now(), data }]));
        if (level !== 'debug' && level !== 'trace') log(message);
      },
      progress: trainProgress(),
      setAttr: (key, value) => {
        attrs[key] = value;
      },
    };
    try {
      const result = await sub.fullTrain(config, ctx);
      await Promise.all(writes);
      const finished = await storage.finishRun(run.runId, { state: 'COMPLETE', result: { value: result.value, ...result.result, attrs } });
      if (opts.json) printJson(finished);
      else log(`run ${run.runId} COMPLETE: ${sub.name} ${formatNumber(result.value)}; results stored (tune runs --json)\n${JSON.stringify(result.result, null, 2)}`);
      return EXIT_OK;
    } catch (e) {
      await Promise.allSettled(writes);
      await storage.finishRun(run.runId, { state: 'FAIL', error: toTrialError(e) });
      throw e;
    }
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
function trainProgress(): FullTrainContext['progress'] {
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
