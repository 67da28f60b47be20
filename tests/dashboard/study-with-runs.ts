import { openStorage } from '../../src/storage/open.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';

export const PLOTS_STUDY = 'plots';

/**
 * A small study written through the public Storage API into the SQLite file `file`: `n` trials on three workers
 * (every 10th PRUNED, every 25th FAIL), each COMPLETE one with `train_loss`/`val_loss` series over 8 steps and its
 * intermediate values; then a full-training run of the best trial's params as runFullTraining records one (config =
 * defaults + params, the trial's number, per-epoch series, result with the test value), and a second, legacy run of
 * the same params as runs were stored before they recorded their trial (no trial number). Returns the best trial's
 * number and both run ids.
 */
export async function writeStudyWithRun(file: string, n: number): Promise<{ best: number; runId: number; legacyRunId: number }> {
  const storage = await openStorage(`sqlite:${file}`, { createParentDirs: true });
  try {
    const study = await storage.createStudy({ name: PLOTS_STUDY, direction: 'minimize' });
    const d = { lr: float(1e-4, 1e-1, { log: true }), dropout: float(0, 0.5), layers: int(1, 6), act: categorical(['relu', 'gelu']) };
    const rng = new Rng(7);
    let best = { number: -1, value: Infinity, params: {} as Record<string, number | string> };
    for (let i = 0; i < n; i++) {
      const lr = Math.exp(Math.log(1e-4) + (Math.log(1e-1) - Math.log(1e-4)) * rng.random());
      const dropout = 0.5 * rng.random();
      const layers = 1 + Math.floor(6 * rng.random());
      const act = Math.floor(2 * rng.random());
      const params = { lr: { distribution: d.lr, internal: lr }, dropout: { distribution: d.dropout, internal: dropout }, layers: { distribution: d.layers, internal: layers }, act: { distribution: d.act, internal: act } };
      const t = await storage.createTrial(study.studyId, { state: 'RUNNING', params, worker: `host-a:${i % 3}` });
      const value = (Math.log10(lr) + 2.5) ** 2 + dropout + 0.05 * layers + 0.2 * act;
      const steps = Array.from({ length: 8 }, (_, s) => s);
      if (i % 25 === 24) {
        await storage.finishTrial(t.trialId, { state: 'FAIL', error: { message: 'diverged', stack: 'Error: diverged\n    at step 3', code: 'OBJECTIVE_FAILED' } });
        continue;
      }
      for (const s of steps) await storage.setTrialIntermediateValue(t.trialId, s, value + 1 / (s + 1));
      await storage.appendMetrics({ trialId: t.trialId }, steps.flatMap((s) => [{ name: 'train_loss', step: s, value: value + 2 / (s + 1) }, { name: 'val_loss', step: s, value: value + 1 / (s + 1) + 0.05 * rng.random() }]));
      if (i % 10 === 9) await storage.finishTrial(t.trialId, { state: 'PRUNED', value: value + 0.5 });
      else {
        await storage.finishTrial(t.trialId, { state: 'COMPLETE', value });
        if (value < best.value) best = { number: i, value, params: { lr, dropout, layers, act: ['relu', 'gelu'][act] } };
      }
    }
    const config = { epochs: 6, batch_size: 64, ...best.params };
    const run = await storage.createRun({ studyName: PLOTS_STUDY, trialNumber: best.number, subsystem: 'optimizer', config, codeVersion: 'test' });
    await storage.appendMetrics({ runId: run.runId }, Array.from({ length: 6 }, (_, e) => [{ name: 'train_loss', step: e, value: 1 / (e + 1) }, { name: 'val_loss', step: e, value: 1.2 / (e + 1) }]).flat());
    await storage.appendLogs({ runId: run.runId }, [{ level: 'info', message: 'restored the best epoch', timestamp: Date.now() }]);
    await storage.finishRun(run.runId, { state: 'COMPLETE', result: { value: 0.123, test_mae: 0.123, test_r2: 0.91 } });
    const legacy = await storage.createRun({ studyName: PLOTS_STUDY, subsystem: 'optimizer', config, codeVersion: 'old' });
    await storage.finishRun(legacy.runId, { state: 'COMPLETE', result: { value: 0.125 } });
    return { best: best.number, runId: run.runId, legacyRunId: legacy.runId };
  } finally {
    await storage.close();
  }
}
