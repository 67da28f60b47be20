import type { Storage, StorageOptions } from '../../src/storage/storage.js';
import { distributionContract } from './contract/distributions.js';
import type { StorageFactory } from './contract/helpers.js';
import { renameContract } from './contract/rename.js';
import { rulesContract } from './contract/rules.js';
import { studyContract } from './contract/studies.js';
import { trackingContract } from './contract/tracking.js';
import { trialContract } from './contract/trials.js';

/**
 * The Storage contract (the doc comment of src/storage/storage.ts) as one test suite that every backend runs.
 * `makeStorage` returns a fresh, empty store built with the given options (tests pass a manual `clock` to
 * control time instead of sleeping); `reopen`, for persistent backends, a second connection to the
 * same store (used to check that writes are durable and that ±Infinity survives the round trip through it).
 */
export function runStorageContract(
  name: string,
  makeStorage: (options?: StorageOptions) => Promise<Storage>,
  options: { reopen?: (storage: Storage) => Promise<Storage> } = {},
): void {
  const factory: StorageFactory = { make: makeStorage, reopen: options.reopen };
  studyContract(name, factory);
  renameContract(name, factory);
  trialContract(name, factory);
  distributionContract(name, factory);
  rulesContract(name, factory);
  trackingContract(name, factory);
}
