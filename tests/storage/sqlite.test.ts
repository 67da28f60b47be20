import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openStorage } from '../../src/storage/open.js';
import { runStorageContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'parzen-sqlite-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStorageContract('SqliteStorage', (options) => openStorage(`sqlite:${join(dir, `store-${n++}.db`)}`, options), {
  reopen: (storage) => openStorage(storage.url),
});
