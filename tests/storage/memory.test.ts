import { InMemoryStorage } from '../../src/storage/memory.js';
import { runStorageContract } from './contract.js';

runStorageContract('InMemoryStorage', async (options) => new InMemoryStorage(options));
