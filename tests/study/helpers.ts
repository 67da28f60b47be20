import { InMemoryStorage } from '../../src/storage/memory.js';
import { createStudy } from '../../src/study/create.js';
import type { Study } from '../../src/study/study.js';
import type { Sampler } from '../../src/samplers/sampler.js';
import type { Pruner } from '../../src/pruners/pruner.js';
import type { StudyDirection } from '../../src/core/frozen.js';

/** A fresh study on a real in-memory store. */
export async function memoryStudy(opts: { sampler?: Sampler; pruner?: Pruner; direction?: StudyDirection; name?: string } = {}): Promise<Study> {
  return createStudy({ storage: new InMemoryStorage(), name: opts.name ?? 's', sampler: opts.sampler, pruner: opts.pruner, direction: opts.direction });
}
