import { hostname } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import type { ParzenConfig, PrunerName, SamplerName, SubsystemConfig } from '../config/define.js';
import { DEFAULT_STORAGE, loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { createPruner } from '../pruners/index.js';
import { makeSampler } from '../samplers/make.js';
import type { SearchSpace } from '../space/distributions.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/storage.js';
import { createStudy } from '../study/create.js';
import type { AttrValue, FrozenTrial, StudyDirection, TrialState } from '../study/frozen.js';
import { rankCompleteTrials } from '../study/best.js';
import { loadSubsystem } from '../subsystems/registry.js';
import { codeVersion } from '../util/code-version.js';
import { InProcessRunner } from './in-process.js';
import { runTrials, type RunEvent } from './run-trials.js';
import type { TrialRunner } from './runner.js';
import { loadObjectiveModule, type TargetSpec } from './target.js';

export interface TuneOptions {
  readonly config?: string;
  readonly subsystem?: string;
  readonly objective?: string;
  readonly study?: string;
  readonly trials?: number;
  readonly storage?: string;
  readonly seed?: number;
  readonly sampler?: SamplerName;
  readonly pruner?: PrunerName;
  readonly direction?: StudyDirection;
  readonly resume?: boolean;
  readonly epochs?: number;
  readonly batchCap?: number | null;
  readonly backend?: string;
  /** Builds the runner (the worker pool); in-process when absent. */
  readonly makeRunner?: () => Promise<TrialRunner>;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: RunEvent) => void;
  readonly onInfo?: (message: string) => void;
}

export interface TuneSummary {
  readonly study: string;
  readonly storage: string;
  readonly target: TargetSpec;
  readonly direction: StudyDirection;
  readonly seed: number;
  readonly requested: number;
  readonly ran: readonly FrozenTrial[];
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly best: FrozenTrial | null;
  readonly interrupted: boolean;
}

interface Resolved {
  readonly target: TargetSpec;
  readonly space: SearchSpace;
  readonly direction: StudyDirection;
  readonly metric: string;
  readonly defaultStudy: string;
  readonly trials: number;
  readonly epochs: number | null;
  readonly batchCap: number | null;
  readonly seed: number | undefined;
  readonly sampler: SamplerName;
  readonly pruner: PrunerName;
  readonly fullDefaults: Readonly<Record<string, AttrValue>>;
}

/** Resolve what to tune from the CLI options, the config file and the subsystem's defaults (in that order). */
async function resolveTarget(opts: TuneOptions, config: ParzenConfig): Promise<Resolved> {
  if (opts.objective !== undefined && opts.subsystem !== undefined) {
    throw new ConfigError('pass either --subsystem or --objective, not both', { code: 'USAGE' });
  }
  if (opts.objective !== undefined) {
    const path = resolve(opts.objective);
    const def = await loadObjectiveModule(path);
    return {
      target: { kind: 'objective', path },
      space: def.space,
      direction: opts.direction ?? def.direction ?? 'minimize',
      metric: def.metric ?? 'value',
      defaultStudy: basename(path, extname(path)),
      trials: opts.trials ?? 12,
      epochs: opts.epochs ?? null,
      batchCap: opts.batchCap ?? null,
      seed: opts.seed,
      sampler: opts.sampler ?? 'tpe',
      pruner: opts.pruner ?? 'none',
      fullDefaults: {},
    };
  }
  const name = opts.subsystem ?? config.defaultSubsystem ?? Object.keys(config.subsystems ?? {})[0] ?? 'optimizer';
  const sub = await loadSubsystem(name);
  const sc: SubsystemConfig = config.subsystems?.[name] ?? {};
  const fullDefaults = { ...sub.defaults.full, ...(sc.full ?? {}) };
  const datasetsDir = resolve(config.datasetsDir ?? 'datasets');
  return {
    target: { kind: 'subsystem', name, datasetsDir, defaults: fullDefaults },
    space: sc.space ?? sub.defaultSpace,
    direction: opts.direction ?? sc.direction ?? sub.direction,
    metric: sc.metric ?? sub.metric,
    defaultStudy: name,
    trials: opts.trials ?? sc.tuning?.trials ?? 12,
    epochs: opts.epochs ?? sc.tuning?.epochs ?? sub.defaults.tuning.epochs,
    batchCap: opts.batchCap !== undefined ? opts.batchCap : sc.tuning?.batchCap !== undefined ? sc.tuning.batchCap : sub.defaults.tuning.batchCap,
    seed: opts.seed ?? sc.tuning?.seed,
    sampler: opts.sampler ?? sc.tuning?.sampler ?? 'tpe',
    pruner: opts.pruner ?? sc.tuning?.pruner ?? 'none',
    fullDefaults,
  };
}

/** The storage URL a command uses: --storage, else the config's, else SQLite under studies/. */
export async function resolveStorageUrl(opts: { storage?: string; config?: string }): Promise<string> {
  if (opts.storage !== undefined) return opts.storage;
  const { config } = await loadConfig(opts.config);
  return config.storage ?? DEFAULT_STORAGE;
}

/**
 * `tune run`: resolve the target, open (or create) the study, run the trials, and summarise. Everything about the
 * study (target, metric, seed, full-training defaults) is written to the store, so `best`, `export-baseline` and
 * `--resume` need nothing else.
 */
export async function tune(opts: TuneOptions): Promise<TuneSummary> {
  const { config } = await loadConfig(opts.config);
  const r = await resolveTarget(opts, config);
  if (!Number.isSafeInteger(r.trials) || r.trials < 0) throw new ConfigError(`--trials must be a non-negative integer, got ${r.trials}`, { code: 'USAGE' });
  const storage = await openStorage(opts.storage ?? config.storage ?? DEFAULT_STORAGE);
  try {
    return await tuneWith(storage, r, opts);
  } finally {
    await storage.close();
  }
}

async function tuneWith(storage: Storage, r: Resolved, opts: TuneOptions): Promise<TuneSummary> {
  const studyName = opts.study ?? r.defaultStudy;
  const existing = await storage.findStudy(studyName);
  const storedSeed = existing?.systemAttrs['seed'];
  const seed = r.seed ?? (typeof storedSeed === 'number' ? storedSeed : Math.floor(Math.random() * 2 ** 31));
  const study = await createStudy({
    name: studyName,
    storage,
    direction: r.direction,
    loadIfExists: true,
    sampler: makeSampler(r.sampler, { seed, space: r.space }),
    pruner: createPruner(r.pruner, {}),
    systemAttrs: { target: targetAttr(r.target), metric: r.metric, seed, full_defaults: r.fullDefaults },
  });
  if (r.target.kind === 'subsystem') {
    const sub = await loadSubsystem(r.target.name);
    await sub.prepare({ datasetsDir: r.target.datasetsDir, seed, log: (m) => opts.onInfo?.(m) });
  }
  const before = await study.getTrials();
  const nComplete = before.filter((t) => t.state === 'COMPLETE').length;
  const nTrials = opts.resume === true ? Math.max(0, r.trials - nComplete) : r.trials;
  opts.onInfo?.(
    `study '${studyName}' in ${storage.url}: ${before.length} trials so far; running ${nTrials} ` +
      `(${r.sampler} sampler, seed ${seed}${r.epochs !== null ? `, ${r.epochs} epochs` : ''}${r.batchCap !== null ? `, batch cap ${r.batchCap}` : ''})`,
  );
  const runner = opts.makeRunner !== undefined ? await opts.makeRunner() : new InProcessRunner();
  let ran: FrozenTrial[];
  try {
    ran = await runTrials({
      study,
      runner,
      target: r.target,
      space: r.space,
      nTrials,
      budget: { epochs: r.epochs, batchCap: r.batchCap },
      seed,
      worker: `${hostname()}:${process.pid}`,
      codeVersion: codeVersion(),
      backend: opts.backend,
      signal: opts.signal,
      onEvent: opts.onEvent,
    });
  } finally {
    await runner.close();
  }
  const all = await study.getTrials();
  const counts = { WAITING: 0, RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0 };
  for (const t of all) counts[t.state]++;
  return {
    study: studyName,
    storage: storage.url,
    target: r.target,
    direction: study.direction,
    seed,
    requested: nTrials,
    ran,
    counts,
    best: rankCompleteTrials(all, study.direction)[0] ?? null,
    interrupted: opts.signal?.aborted === true,
  };
}

function targetAttr(t: TargetSpec): AttrValue {
  return t.kind === 'objective' ? { kind: 'objective', path: t.path } : { kind: 'subsystem', name: t.name };
}
