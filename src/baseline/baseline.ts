import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { studyFullDefaults, studyMetric, studyTarget, trialObjectiveSeed } from '../core/system-attrs.js';
import { ConfigError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import { getBestTrials } from '../study/queries.js';
import { codeVersion } from '../util/code-version.js';
import { checkBaseline } from './check-baseline.js';
import { BASELINE_FORMAT, type Baseline } from './format.js';

export { BASELINE_FORMAT, type Baseline } from './format.js';

/** Build the baseline of a study's best COMPLETE trial, from the store alone; TRIAL_NOT_FOUND when none completed. */
export async function buildBaseline(storage: Storage, studyName: string): Promise<Baseline> {
  const { study, trials: [best] } = await getBestTrials(storage, studyName, 1);
  const target = studyTarget(study);
  return {
    parzenBaseline: BASELINE_FORMAT,
    subsystem: target?.kind === 'subsystem' ? target.name : null,
    objective: target?.kind === 'objective' ? target.path : null,
    metric: studyMetric(study),
    direction: study.direction,
    config: { ...studyFullDefaults(study), ...best.params },
    params: { ...best.params },
    provenance: {
      study: studyName,
      storage: storage.url,
      trialNumber: best.number,
      value: best.value as number,
      seed: best.seed,
      objectiveSeed: trialObjectiveSeed(best),
      budget: best.budget,
      trialCodeVersion: best.codeVersion,
      completedAt: best.datetimeComplete?.toISOString() ?? null,
      exportedAt: new Date().toISOString(),
      exportedBy: codeVersion(),
    },
  };
}

/** Write a baseline atomically (temp file + rename). */
export function writeBaseline(path: string, baseline: Baseline): string {
  const abs = resolve(path);
  try {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(`${abs}.tmp`, `${JSON.stringify(baseline, null, 2)}\n`);
    renameSync(`${abs}.tmp`, abs);
  } catch (cause) {
    throw new ConfigError(`--out: cannot write ${abs} (${(cause as Error).message}); choose a writable path`, { code: 'USAGE', cause });
  }
  return abs;
}

/** Read a baseline file and check every field `tune train` uses; a ConfigError names the field and the fix. */
export function readBaseline(path: string): Baseline & { readonly subsystem: string } {
  const abs = resolve(path);
  let raw: string;
  try {
    raw = readFileSync(abs, 'utf8');
  } catch (cause) {
    throw new ConfigError(`baseline ${abs} cannot be read (${(cause as Error).message}); create one with \`tune export-baseline --study <name> --out ${path}\``, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new ConfigError(`baseline ${abs} is not valid JSON (${(cause as Error).message}); fix it or write it again with \`tune export-baseline\``, { cause });
  }
  return checkBaseline(parsed, abs);
}
