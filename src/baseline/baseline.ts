import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { studyFullDefaults, studyMetric, studyTarget, trialObjectiveSeed } from '../core/system-attrs.js';
import { ConfigError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import { getBestTrials } from '../study/queries.js';
import type { AttrValue, StudyDirection } from '../core/frozen.js';
import { codeVersion } from '../util/code-version.js';

export const BASELINE_FORMAT = 1;

/** A promoted trial: the config full training starts from, and where it came from. */
export interface Baseline {
  readonly parzenBaseline: typeof BASELINE_FORMAT;
  readonly subsystem: string | null;
  readonly objective: string | null;
  readonly metric: string | null;
  readonly direction: StudyDirection;
  /** Full-training defaults with the best trial's params merged over them; what `tune train` runs. */
  readonly config: Readonly<Record<string, AttrValue>>;
  /** The best trial's sampled params alone. */
  readonly params: Readonly<Record<string, AttrValue>>;
  readonly provenance: {
    readonly study: string;
    readonly storage: string;
    readonly trialNumber: number;
    readonly value: number;
    readonly seed: number | null;
    readonly objectiveSeed: number | null;
    readonly budget: Readonly<Record<string, number | null>> | null;
    readonly trialCodeVersion: string | null;
    readonly completedAt: string | null;
    readonly exportedAt: string;
    readonly exportedBy: string;
  };
}

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

/** Read and check a baseline file for `tune train --baseline`. */
export function readBaseline(path: string): Baseline {
  const abs = resolve(path);
  let raw: string;
  try {
    raw = readFileSync(abs, 'utf8');
  } catch (cause) {
    throw new ConfigError(`--baseline: cannot read ${abs}; create one with \`tune export-baseline --study <name> --out ${path}\``, { cause });
  }
  let b: Partial<Baseline>;
  try {
    b = JSON.parse(raw) as Partial<Baseline>;
  } catch (cause) {
    throw new ConfigError(`--baseline: ${abs} is not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (b.parzenBaseline !== BASELINE_FORMAT || typeof b.config !== 'object' || b.config === null) {
    throw new ConfigError(`--baseline: ${abs} is not a parzen baseline (expected "parzenBaseline": ${BASELINE_FORMAT} and a "config" object); re-export it with \`tune export-baseline\``);
  }
  if (typeof b.subsystem !== 'string') {
    throw new ConfigError(`--baseline: ${abs} has no "subsystem"; full training runs parzen subsystems (this baseline came from an --objective study)`);
  }
  return b as Baseline;
}
