import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StorageError } from '../../src/errors.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import type { TrialTemplate } from '../../src/storage/storage.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { copySource } from './copy-fixtures.js';
import { copyStudy } from '../../src/study/copy.js';

/** A real in-memory store whose third trial write fails, as a full disk would fail it (fault injection). */
class FailingOnThirdTrial extends InMemoryStorage {
  #n = 0;
  override async createTrial(studyId: number, template?: TrialTemplate): Promise<FrozenTrial> {
    if (++this.#n === 3) throw new StorageError('no space left on device (injected)');
    return super.createTrial(studyId, template);
  }
}

test('a copy that fails part-way removes its partial study, so the target is as it was, and rethrows the failure', async () => {
  const from = await copySource();
  const to = new FailingOnThirdTrial();
  await to.createStudy({ name: 'other', direction: 'maximize' });
  await assert.rejects(copyStudy(from, to, { study: 'src' }), /no space left on device \(injected\)/);
  assert.deepEqual((await to.listStudies()).map((s) => s.name), ['other']);
  assert.equal(await to.findStudy('src'), undefined);
});
