export type { MetricOwner, RunRef, Storage, StorageOptions, TrialFinish, TrialQuery, TrialTemplate } from './storage.js';
export { InMemoryStorage } from './memory.js';
// Type only: the SQLite driver loads lazily inside openStorage('sqlite:…'), so importing this module stays cheap.
export type { SqliteStorage } from './sqlite/sqlite-storage.js';
export type { SqliteOptions } from './sqlite/connection.js';
export { openStorage, sqlitePath, type OpenStorageOptions } from './open.js';
