import { openStorage } from '../../src/storage/open.js';
import { runStorageContract } from './contract.js';
import { pgTestDatabase } from './pg-server.js';

// Every contract test gets a fresh store: its own schema in this file's own database.
const db = await pgTestDatabase();

runStorageContract('PostgresStorage', (options) => openStorage(db.freshStoreUrl(), { ...options, poolSize: 4 }), {
  reopen: (storage) => openStorage(storage.url),
});
