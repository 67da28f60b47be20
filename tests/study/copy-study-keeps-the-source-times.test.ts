import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { copySource } from './copy-fixtures.js';
import { copyStudy, replayClock } from '../../src/study/copy.js';

test('a copy keeps the times of the source when the target runs on the replay clock', async () => {
  const from = await copySource();
  const clock = replayClock();
  const to = new InMemoryStorage({ clock: clock.now });
  const { study, nTrials } = await copyStudy(from, to, { study: 'src', toStudy: 'dst', clock });
  assert.equal(nTrials, 5);
  const [a, b] = [await from.getAllTrials((await from.getStudy('src')).studyId), await to.getAllTrials(study.studyId)];
  assert.deepEqual(b.map((t) => [t.datetimeStart, t.datetimeComplete]), a.map((t) => [t.datetimeStart, t.datetimeComplete]));
  assert.deepEqual(study.createdAt, (await from.getStudy('src')).createdAt);
  assert.ok(b.every((t) => (t.datetimeComplete?.getTime() ?? 0) < 1_000_000_100_000), 'the copy is stamped in 2001, not now');
});
