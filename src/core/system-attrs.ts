/**
 * The system attributes parzen keeps on studies and trials, under one set of typed keys. Everything a study
 * needs after its run (`best`, `export-baseline`, `--resume`, the dashboard) is one of these, so each is
 * written and read here, never as a string literal elsewhere.
 */
import type { ParamValue } from '../space/distributions.js';
import type { AttrValue, Attrs, FrozenStudy, FrozenTrial } from './frozen.js';

/** What a study tunes: a user's objective module or one of the registry's subsystems. */
export type StudyTarget = { readonly kind: 'objective'; readonly path: string } | { readonly kind: 'subsystem'; readonly name: string };

/** Study system attributes written by `tune` when it creates a study. */
export interface StudyFacts {
  readonly target: StudyTarget;
  /** Name of the value being optimised (`val_loss`). */
  readonly metric: string;
  readonly seed: number;
  /** Full-training defaults the best trial's params are merged over (`export-baseline`). */
  readonly fullDefaults: Attrs;
}

const STUDY_KEYS = { target: 'target', metric: 'metric', seed: 'seed', fullDefaults: 'full_defaults' } as const;
const TRIAL_KEYS = { objectiveSeed: 'objective_seed', fixedParams: 'fixed_params', runStartedAt: 'run_started_at' } as const;

/** The study system attributes for `facts`. */
export function studyFactsAttrs(facts: StudyFacts): Attrs {
  return {
    [STUDY_KEYS.target]: { ...facts.target },
    [STUDY_KEYS.metric]: facts.metric,
    [STUDY_KEYS.seed]: facts.seed,
    [STUDY_KEYS.fullDefaults]: facts.fullDefaults,
  };
}

/** The study's target, or null for a study made through the API without one. */
export function studyTarget(study: FrozenStudy): StudyTarget | null {
  const t = study.systemAttrs[STUDY_KEYS.target];
  if (!isRecord(t)) return null;
  if (t['kind'] === 'objective' && typeof t['path'] === 'string') return { kind: 'objective', path: t['path'] };
  if (t['kind'] === 'subsystem' && typeof t['name'] === 'string') return { kind: 'subsystem', name: t['name'] };
  return null;
}

export function studyMetric(study: FrozenStudy): string | null {
  const m = study.systemAttrs[STUDY_KEYS.metric];
  return typeof m === 'string' ? m : null;
}

export function studySeed(study: FrozenStudy | undefined): number | null {
  const s = study?.systemAttrs[STUDY_KEYS.seed];
  return typeof s === 'number' ? s : null;
}

export function studyFullDefaults(study: FrozenStudy): Attrs {
  const d = study.systemAttrs[STUDY_KEYS.fullDefaults];
  return isRecord(d) ? d : {};
}

/** The trial system attribute holding the seed its objective got. */
export const OBJECTIVE_SEED_KEY = TRIAL_KEYS.objectiveSeed;

export function trialObjectiveSeed(trial: FrozenTrial): number | null {
  const s = trial.systemAttrs[TRIAL_KEYS.objectiveSeed];
  return typeof s === 'number' ? s : null;
}

/**
 * The trial system attribute holding when its objective started running (ISO time). A trial's datetimeStart is
 * when it was asked, which in a deterministic batch can be long before a worker is free to run it.
 */
export const RUN_STARTED_AT_KEY = TRIAL_KEYS.runStartedAt;

/** When the trial's objective started running, or null (trials stored before parzen kept it, enqueued ones). */
export function trialRunStartedAt(trial: FrozenTrial): Date | null {
  const s = trial.systemAttrs[TRIAL_KEYS.runStartedAt];
  if (typeof s !== 'string') return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** System attributes of an enqueued trial whose params are fixed in advance (enqueue, retry). */
export function fixedParamsAttrs(params: Readonly<Record<string, ParamValue>>): Attrs {
  return { [TRIAL_KEYS.fixedParams]: { ...params } };
}

/** The params an enqueued trial was created with, or null. */
export function trialFixedParams(trial: FrozenTrial): Readonly<Record<string, ParamValue>> | null {
  const p = trial.systemAttrs[TRIAL_KEYS.fixedParams];
  return isRecord(p) ? (p as Readonly<Record<string, ParamValue>>) : null;
}

function isRecord(x: AttrValue | undefined): x is { readonly [k: string]: AttrValue } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
