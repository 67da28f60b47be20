import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { isPrunerName, PRUNER_NAMES } from '../pruners/names.js';
import { isSamplerName, SAMPLER_NAMES } from '../samplers/names.js';
import { validateSpace } from '../space/distributions.js';
import { isSubsystemName, subsystemNames } from '../subsystems/registry.js';
import { describeImportFailure, importUserModule } from '../util/import-module.js';
import type { ParzenConfig, SubsystemConfig, TuningSettings } from './define.js';

export const DEFAULT_CONFIG_FILE = 'tuning.config.ts';
export const DEFAULT_STORAGE = 'sqlite:studies/tuning.db';

export interface LoadedConfig {
  readonly config: ParzenConfig;
  /** The file it came from, or null when there was none and defaults apply. */
  readonly path: string | null;
}

/**
 * Load and validate `tuning.config.ts` (or `path`). A missing default file is not an error (defaults apply);
 * a missing explicit `--config` file is.
 */
export async function loadConfig(path?: string): Promise<LoadedConfig> {
  const file = resolve(path ?? DEFAULT_CONFIG_FILE);
  if (path === undefined && !existsSync(file)) return { config: {}, path: null };
  const imported = await importUserModule(file);
  if (!imported.ok) {
    throw new ConfigError(`config: ${describeImportFailure(imported.failure)}; fix the file or pass --config <path>`);
  }
  const config = imported.module['default'];
  validateConfig(config, file);
  return { config, path: file };
}


/** Throws a ConfigError naming the field path (`subsystems.optimizer.tuning.epochs`) and the fix. */
export function validateConfig(c: unknown, file = DEFAULT_CONFIG_FILE): asserts c is ParzenConfig {
  const where = ` in ${file}`;
  const fail = (path: string, msg: string): never => {
    throw new ConfigError(`${path}: ${msg}${where}`);
  };
  if (typeof c !== 'object' || c === null) fail('default export', 'expected `export default defineConfig({ … })`');
  const cfg = c as Record<string, unknown>;
  for (const key of Object.keys(cfg)) {
    if (!['storage', 'defaultSubsystem', 'datasetsDir', 'studiesDir', 'subsystems'].includes(key)) {
      fail(key, 'unknown field; expected storage, defaultSubsystem, datasetsDir, studiesDir or subsystems');
    }
  }
  for (const key of ['storage', 'datasetsDir', 'studiesDir'] as const) {
    if (cfg[key] !== undefined && typeof cfg[key] !== 'string') fail(key, `expected a string, got ${JSON.stringify(cfg[key])}`);
  }
  const subs = cfg['subsystems'];
  if (subs !== undefined) {
    if (typeof subs !== 'object' || subs === null) fail('subsystems', 'expected an object keyed by subsystem name');
    for (const [name, sc] of Object.entries(subs as Record<string, unknown>)) {
      if (!isSubsystemName(name)) fail(`subsystems.${name}`, `unknown subsystem; available: ${subsystemNames().join(', ')}`);
      validateSubsystemConfig(`subsystems.${name}`, sc, fail);
    }
  }
  const def = cfg['defaultSubsystem'];
  if (def !== undefined && (typeof def !== 'string' || !isSubsystemName(def))) {
    fail('defaultSubsystem', `unknown subsystem ${JSON.stringify(def)}; available: ${subsystemNames().join(', ')}`);
  }
}

function validateSubsystemConfig(path: string, sc: unknown, fail: (p: string, m: string) => never): asserts sc is SubsystemConfig {
  if (typeof sc !== 'object' || sc === null) fail(path, 'expected an object with metric, direction, tuning, full and space');
  const s = sc as Record<string, unknown>;
  if (s.direction !== undefined && s.direction !== 'minimize' && s.direction !== 'maximize') {
    fail(`${path}.direction`, `expected 'minimize' or 'maximize', got ${JSON.stringify(s.direction)}`);
  }
  if (s.metric !== undefined && typeof s.metric !== 'string') fail(`${path}.metric`, 'expected a string such as "val_loss"');
  if (s.tuning !== undefined) validateTuning(`${path}.tuning`, s.tuning, fail);
  if (s.full !== undefined) {
    if (typeof s.full !== 'object' || s.full === null) fail(`${path}.full`, 'expected an object such as { epochs: 20 }');
    const epochs = (s.full as Record<string, unknown>).epochs;
    if (epochs !== undefined && !isPositiveInt(epochs)) fail(`${path}.full.epochs`, `expected a positive integer, got ${JSON.stringify(epochs)}`);
  }
  if (s.space !== undefined) validateSpace(`${path}.space`, s.space);
}

function validateTuning(path: string, t: unknown, fail: (p: string, m: string) => never): asserts t is TuningSettings {
  if (typeof t !== 'object' || t === null) fail(path, 'expected an object such as { trials: 12, epochs: 2, batchCap: 50, seed: 42 }');
  const x = t as Record<string, unknown>;
  for (const k of ['trials', 'epochs'] as const) {
    if (x[k] !== undefined && !isPositiveInt(x[k])) fail(`${path}.${k}`, `expected a positive integer, got ${JSON.stringify(x[k])}`);
  }
  if (x.batchCap !== undefined && x.batchCap !== null && !isPositiveInt(x.batchCap)) {
    fail(`${path}.batchCap`, `expected a positive integer or null (uncapped), got ${JSON.stringify(x.batchCap)}`);
  }
  if (x.seed !== undefined && !Number.isSafeInteger(x.seed)) fail(`${path}.seed`, `expected an integer, got ${JSON.stringify(x.seed)}`);
  if (x.sampler !== undefined && !isSamplerName(x.sampler)) fail(`${path}.sampler`, `expected one of ${SAMPLER_NAMES.join(', ')}`);
  if (x.pruner !== undefined && !isPrunerName(x.pruner)) fail(`${path}.pruner`, `expected one of ${PRUNER_NAMES.join(', ')}`);
}

const isPositiveInt = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) > 0;
