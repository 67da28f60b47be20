import assert from 'node:assert/strict';
import { StorageError, type ErrorCode } from '../../../src/errors.js';
import { float, int, categorical } from '../../../src/space/distributions.js';
import type { Storage, StorageOptions } from '../../../src/storage/storage.js';

/** How a contract test gets a fresh, empty store, and (for persistent backends) a second handle on it. */
export interface StorageFactory {
  /** A fresh, empty store; `options` (e.g. a manual clock) go to the backend as given. */
  make(options?: StorageOptions): Promise<Storage>;
  /** Opens the same store again (a new connection); undefined for stores that live in one object. */
  reopen?: (storage: Storage) => Promise<Storage>;
}

/** Runs `body` with a fresh store made with `options`, closing it afterwards. */
export async function withStorage(
  factory: StorageFactory,
  body: (s: Storage) => Promise<void>,
  options: StorageOptions = {},
): Promise<void> {
  const s = await factory.make(options);
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

/** Asserts the promise rejects with a StorageError of this code. */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StorageError, `expected a StorageError, got ${String(e)}`);
    assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

export const lr = float(1e-5, 1e-1, { log: true });
export const layers = int(1, 8);
export const act = categorical(['relu', 'gelu', 'tanh']);
export const stepped = float(0, 1, { step: 0.25 });

/** A study with one RUNNING trial. */
export async function studyWithTrial(s: Storage, name = 'study') {
  const study = await s.createStudy({ name, direction: 'minimize' });
  const trial = await s.createTrial(study.studyId);
  return { study, trial };
}
