import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';

/** Five COMPLETE trials, stamped on a manual clock in 2001, a second apart: no copy made now has those times by chance. */
export async function copySource(): Promise<InMemoryStorage> {
  let now = 1_000_000_000_000;
  const s = new InMemoryStorage({ clock: () => (now += 1000) });
  const st = await s.createStudy({ name: 'src', direction: 'minimize' });
  for (let i = 0; i < 5; i++) {
    const t = await s.createTrial(st.studyId, { params: { x: { distribution: float(0, 1), internal: i / 10 } } });
    await s.finishTrial(t.trialId, { state: 'COMPLETE', value: i });
  }
  return s;
}
