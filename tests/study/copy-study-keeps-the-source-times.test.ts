import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { copyStudy, replayClock } from '../../src/study/copy.js';

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

test('a copy keeps the times of the source when the target runs on the replay clock', async () => {
  const from = await source();
  const clock = replayClock();
  const to = new InMemoryStorage({ clock: clock.now });
  const { study, nTrials } = await copyStudy(from, to, { study: 'src', toStudy: 'dst', clock });
  assert.equal(nTrials, 5);
  const [a, b] = [await from.getAllTrials((await from.getStudy('src')).studyId), await to.getAllTrials(study.studyId)];
  assert.deepEqual(b.map((t) => [t.datetimeStart, t.datetimeComplete]), a.map((t) => [t.datetimeStart, t.datetimeComplete]));
  assert.deepEqual(study.createdAt, (await from.getStudy('src')).createdAt);
  assert.ok(b.every((t) => (t.datetimeComplete?.getTime() ?? 0) < 1_000_000_100_000), 'the copy is stamped in 2001, not now');
});
