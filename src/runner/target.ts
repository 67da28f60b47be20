import { join } from 'node:path';
import { ObjectiveError } from '../errors.js';
import { validateSpace, type SearchSpace } from '../space/distributions.js';
import type { StudyDirection } from '../core/frozen.js';
import { OBJECTIVE_BRAND, type ObjectiveContext, type ObjectiveDefinition } from '../study/objective.js';
import { trainingBudget } from '../subsystems/budget.js';
import { loadSubsystemModule } from '../subsystems/registry.js';
import { describeImportFailure, importUserModule } from '../util/import-module.js';

/** What a trial runs: a user's objective module, or one of parzen's subsystems. Plain data: it crosses threads. */
export type TargetSpec =
  | { readonly kind: 'objective'; readonly path: string }
  | {
      readonly kind: 'subsystem';
      readonly name: string;
      /** The module that default-exports it (registry.ts), so a worker thread loads it without the registry. */
      readonly module: string;
      readonly datasetsDir: string;
      /**
       * `<studiesDir>/<study>/trials`: each trial may keep files in `<trialsDir>/<number>/` (the zk proofs). Absent where
       * no study folder applies (a worker started without a config's studiesDir still gets one from `tune`).
       */
      readonly trialsDir?: string;
      /** Full-training defaults the sampled params are merged over. */
      readonly defaults: Readonly<Record<string, unknown>>;
    };

/** What the study manager gives one trial besides its context: the worker slots it holds (see TrialJob). */
export interface TrialResources {
  readonly trainWorkers: number;
}

export interface LoadedTarget {
  readonly space: SearchSpace;
  readonly direction: StudyDirection | undefined;
  readonly metric: string | undefined;
  /** `resources`: absent or 1 train worker for a user's objective module (the runner reserves no slots for one). */
  run(params: Readonly<Record<string, unknown>>, ctx: ObjectiveContext, resources?: TrialResources): Promise<number>;
}

/**
 * Load an objective module whose default export is `defineObjective({ space, direction, run })`.
 * Every way it can be wrong (missing file, syntax error, wrong export, bad space) is an ObjectiveError or a
 * ConfigError naming the file and the fix.
 */
export async function loadObjectiveModule(path: string): Promise<ObjectiveDefinition> {
  const imported = await importUserModule(path);
  if (!imported.ok) {
    throw new ObjectiveError(`--objective: ${describeImportFailure(imported.failure)}`, { code: 'OBJECTIVE_LOAD', cause: imported.failure });
  }
  const def = imported.module['default'] as Partial<ObjectiveDefinition> | undefined;
  const looksRight = typeof def === 'object' && def !== null && typeof def.run === 'function';
  if (!looksRight) {
    throw new ObjectiveError(
      `--objective: ${imported.path} must \`export default defineObjective({ space, direction, run(params, ctx) })\` ` +
        `(import { defineObjective } from 'parzen'); its default export is ${describeExport(def)}`,
      { code: 'OBJECTIVE_LOAD' },
    );
  }
  // A plain object works as well as defineObjective's result when its fields are right, so each is checked here:
  // what is wrong with it would otherwise fail every trial (a hand-written range without `step` samples NaN).
  validateSpace(`${imported.path}: space`, def.space);
  if (def.direction !== undefined && def.direction !== 'minimize' && def.direction !== 'maximize') {
    throw new ObjectiveError(`${imported.path}: direction must be 'minimize' or 'maximize', got ${JSON.stringify(def.direction)}`, {
      code: 'OBJECTIVE_LOAD',
    });
  }
  if (def.metric !== undefined && (typeof def.metric !== 'string' || def.metric.length === 0)) {
    throw new ObjectiveError(`${imported.path}: metric must be the name of the value run() returns (e.g. 'val_loss'), got ${JSON.stringify(def.metric)}`, {
      code: 'OBJECTIVE_LOAD',
    });
  }
  return def as ObjectiveDefinition;
}

function describeExport(def: unknown): string {
  if (def === undefined) return 'missing';
  if (typeof def !== 'object' || def === null) return typeof def === 'function' ? 'a function (wrap it: run: yourFunction)' : String(def);
  const keys = Object.keys(def);
  return `an object without a run(params, ctx) function (its keys: ${keys.length > 0 ? keys.join(', ') : 'none'})`;
}

/** Resolve a TargetSpec into something a runner can call. Subsystem modules load lazily here. */
export async function loadTarget(spec: TargetSpec): Promise<LoadedTarget> {
  if (spec.kind === 'objective') {
    const def = await loadObjectiveModule(spec.path);
    const isBranded = (def as unknown as Record<symbol, unknown>)[OBJECTIVE_BRAND] === true;
    return {
      space: def.space,
      direction: def.direction,
      metric: def.metric ?? (isBranded ? 'value' : undefined),
      run: async (params, ctx) => def.run(params as never, ctx),
    };
  }
  const sub = await loadSubsystemModule(spec.module, spec.name);
  return {
    space: sub.defaultSpace,
    direction: sub.direction,
    metric: sub.metric,
    run: (params, ctx, resources) =>
      sub.objective({ ...spec.defaults, ...params }, { ...ctx, budget: trainingBudget(ctx.budget, sub.defaults.tuning), datasetsDir: spec.datasetsDir,
        ...(spec.trialsDir === undefined ? {} : { trialDir: join(spec.trialsDir, String(ctx.trialNumber)) }),
        ...((resources?.trainWorkers ?? 1) > 1 && sub.trainReplica !== undefined ? { trainWorkers: resources?.trainWorkers } : {}) }),
  };
}
