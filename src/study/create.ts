import { randomUUID } from 'node:crypto';
import { ConfigError, StorageError } from '../errors.js';
import type { Pruner } from '../pruners/pruner.js';
import type { Sampler } from '../samplers/sampler.js';
import { TPESampler } from '../samplers/index.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/storage.js';
import type { Attrs, StudyDirection } from '../core/frozen.js';
import { Study } from './study.js';

export interface CreateStudyOptions {
  /** Defaults to a unique `no-name-<uuid>`. */
  readonly name?: string;
  /** A Storage, or a URL such as `sqlite:studies/tuning.db`; defaults to an in-memory store. */
  readonly storage?: Storage | string;
  readonly sampler?: Sampler;
  readonly pruner?: Pruner;
  readonly direction?: StudyDirection;
  /** Reuse the study of that name if it exists (its direction must match). */
  readonly loadIfExists?: boolean;
  readonly userAttrs?: Attrs;
  readonly systemAttrs?: Attrs;
}

/**
 * Create (or with `loadIfExists`, open) a study — Optuna's `create_study`.
 * @example
 * const study = await createStudy({ name: 'mlp', storage: 'sqlite:studies/tuning.db', sampler: new TPESampler({ seed: 42 }) });
 */
export async function createStudy(opts: CreateStudyOptions = {}): Promise<Study> {
  const storage = typeof opts.storage === 'string' ? await openStorage(opts.storage) : (opts.storage ?? (await openStorage('memory:')));
  const direction = opts.direction ?? 'minimize';
  if (direction !== 'minimize' && direction !== 'maximize') {
    throw new ConfigError(`direction must be 'minimize' or 'maximize', got ${JSON.stringify(direction)}`, { code: 'USAGE' });
  }
  const name = opts.name ?? `no-name-${randomUUID()}`;
  const existing = await storage.findStudy(name);
  let info;
  if (existing !== undefined) {
    if (opts.loadIfExists !== true) {
      throw new ConfigError(`study '${name}' already exists in ${storage.url}; pass loadIfExists (CLI: --resume) or choose another name`, {
        code: 'USAGE',
      });
    }
    if (existing.direction !== direction) {
      throw new ConfigError(
        `study '${name}' was created to ${existing.direction}, but direction '${direction}' was asked for; ` +
          `drop --direction or use a new --study name`,
        { code: 'USAGE' },
      );
    }
    info = existing;
  } else {
    try {
      info = await storage.createStudy({ name, direction, userAttrs: opts.userAttrs, systemAttrs: opts.systemAttrs });
    } catch (e) {
      // Another process (say, a worker on another host) created it since we looked: load theirs.
      if (opts.loadIfExists === true && e instanceof StorageError && e.code === 'STUDY_EXISTS') return createStudy({ ...opts, storage });
      throw e;
    }
  }
  return new Study({ storage, study: info, sampler: opts.sampler ?? new TPESampler(), pruner: opts.pruner });
}

/** Open an existing study by name; throws StorageError STUDY_NOT_FOUND. */
export async function loadStudy(opts: { name: string; storage: Storage | string; sampler?: Sampler; pruner?: Pruner }): Promise<Study> {
  const storage = typeof opts.storage === 'string' ? await openStorage(opts.storage) : opts.storage;
  const info = await storage.getStudy(opts.name);
  return new Study({ storage, study: info, sampler: opts.sampler ?? new TPESampler(), pruner: opts.pruner });
}
