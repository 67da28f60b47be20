import { openStorage } from '../../src/storage/open.js';
import { float, int, categorical } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';

/** The state big-study trial `i` ends in: every 50th FAIL, every other 20th PRUNED, the rest COMPLETE. */
export function bigStudyState(i: number): 'FAIL' | 'PRUNED' | 'COMPLETE' {
  return i % 50 === 49 ? 'FAIL' : i % 20 === 19 ? 'PRUNED' : 'COMPLETE';
}

/**
 * Writes a study of `n` finished random-search trials (four params, every 20th PRUNED, every 50th FAIL) through the
 * public Storage API into the SQLite file `file`; returns how long the writing took.
 */
export async function writeBigStudy(file: string, name: string, n: number): Promise<number> {
  const started = performance.now();
  const storage = await openStorage(`sqlite:${file}`, { createParentDirs: true });
  try {
    const study = await storage.createStudy({ name, direction: 'minimize' });
    const d = { lr: float(1e-5, 1e-1, { log: true }), dropout: float(0, 0.5), layers: int(1, 8), act: categorical(['relu', 'gelu', 'tanh']) };
    const rng = new Rng(42);
    for (let i = 0; i < n; i++) {
      const lr = Math.exp(Math.log(1e-5) + (Math.log(1e-1) - Math.log(1e-5)) * rng.random());
      const params = { lr: { distribution: d.lr, internal: lr }, dropout: { distribution: d.dropout, internal: 0.5 * rng.random() }, layers: { distribution: d.layers, internal: 1 + Math.floor(8 * rng.random()) }, act: { distribution: d.act, internal: Math.floor(3 * rng.random()) } };
      const t = await storage.createTrial(study.studyId, { state: 'RUNNING', params });
      const value = (Math.log10(lr) + 3) ** 2 + params.dropout.internal + 0.1 * params.layers.internal + rng.random() * 0.1;
      const state = bigStudyState(i);
      if (state === 'FAIL') await storage.finishTrial(t.trialId, { state, error: { message: 'out of memory', stack: null, code: 'WORKER' } });
      else await storage.finishTrial(t.trialId, { state, value });
    }
  } finally {
    await storage.close();
  }
  return performance.now() - started;
}
