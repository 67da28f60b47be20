import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StorageError } from '../../src/errors.js';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import type { TrialTemplate } from '../../src/storage/storage.js';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { copyStudy } from '../../src/study/copy.js';

/** A real in-memory store whose third trial write fails, as a full disk would fail it (fault injection). */
class FailingOnThirdTrial extends InMemoryStorage {
  #n = 0;
  override async createTrial(studyId: number, template?: TrialTemplate): Promise<FrozenTrial> {
    if (++this.#n === 3) throw new StorageError('no space left on device (injected)');
    return super.createTrial(studyId, template);
  }
}

/** Five COMPLETE trials, stamped on a manual clock in 2001, a second apart: no copy made now has those times by chance. */
async function source(): Promise<InMemoryStorage> {
  let now = 1_000_000_000_000;
  const s = new InMemoryStorage({ clock: () => (now += 1000) });
  const st = await s.createStudy({ name: 'src', direction: 'minimize' });
  for (let i = 0; i < 5; i++) {
    const t = await s.createTrial(st.studyId, { params: { x: { distribution: float(0, 1), internal: i / 10 } } });
    await s.finishTrial(t.trialId, { state: 'COMPLETE', value: i });
  }
  return s;
}

test('a copy that fails part-way removes its partial study, so the target is as it was, and rethrows the failure', async () => {
  const from = await source();
  const to = new FailingOnThirdTrial();
  await to.createStudy({ name: 'other', direction: 'maximize' });
  await assert.rejects(copyStudy(from, to, { study: 'src' }), /no space left on device \(injected\)/);
  assert.deepEqual((await to.listStudies()).map((s) => s.name), ['other']);
  assert.equal(await to.findStudy('src'), undefined);
});
