/**
 * Benchmark (c) of issue 2: the study store's cost on a SQLite file, beside Optuna 3.1 in the same run.
 *   (a) one trial lifecycle: createTrial, 5 × setTrialParam, 2 × setTrialAttr, finishTrial, and the
 *       getAllTrials a sampler does before each ask — goal ≤ 1 ms;
 *   (b) intermediate values through setTrialIntermediateValue, each durable when its promise resolves —
 *       goal ≥ 50,000/s; measured awaited one at a time (a transaction each) and with 64 in flight
 *       (group commit: one transaction per batch, every value acknowledged only after its batch commits).
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/store-cost.js [nTrials=2000] [nValues=50000] [nPeerTrials=200]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { categorical, float, int } from '../../src/space/distributions.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

const [nTrials, nValues, nPeerTrials] = [2000, 50000, 200].map((d, i) => Number(process.argv[2 + i] ?? d));
const space = {
  hidden_dim: categorical([128, 256, 384]),
  num_layers: int(3, 8),
  num_heads: categorical([4, 8]),
  dropout: float(0.05, 0.3),
  learning_rate: float(1e-5, 5e-4, { log: true }),
};

async function lifecycle(storage: SqliteStorage, studyId: number, i: number): Promise<void> {
  await storage.getAllTrials(studyId);
  const t = await storage.createTrial(studyId);
  await storage.setTrialParam(t.trialId, 'hidden_dim', space.hidden_dim, i % 3);
  await storage.setTrialParam(t.trialId, 'num_layers', space.num_layers, 3 + (i % 6));
  await storage.setTrialParam(t.trialId, 'num_heads', space.num_heads, i % 2);
  await storage.setTrialParam(t.trialId, 'dropout', space.dropout, 0.05 + 0.25 * ((i * 7) % 100) / 100);
  await storage.setTrialParam(t.trialId, 'learning_rate', space.learning_rate, 1e-5 * (1 + (i % 40)));
  await storage.setTrialAttr(t.trialId, 'user', 'worker', 'w0');
  await storage.setTrialAttr(t.trialId, 'user', 'epochs', 2);
  await storage.finishTrial(t.trialId, { state: 'COMPLETE', value: i / nTrials });
}

async function benchLifecycle(dir: string): Promise<{ msAll: number; msLast: number }> {
  const storage = await SqliteStorage.open(join(dir, 'lifecycle.db'));
  const study = await storage.createStudy({ name: 'lifecycle', direction: 'minimize' });
  const lastN = Math.min(500, nTrials);
  const t0 = performance.now();
  let tLast = t0;
  for (let i = 0; i < nTrials; i++) {
    if (i === nTrials - lastN) tLast = performance.now();
    await lifecycle(storage, study.studyId, i);
  }
  const end = performance.now();
  const all = await storage.getAllTrials(study.studyId);
  if (all.length !== nTrials || all.some((t) => Object.keys(t.params).length !== 5)) throw new Error('lifecycle benchmark wrote wrong trials');
  await storage.close();
  return { msAll: (end - t0) / nTrials, msLast: (end - tLast) / lastN };
}

async function benchValues(dir: string, inFlight: number): Promise<number> {
  const storage = await SqliteStorage.open(join(dir, `values-${inFlight}.db`));
  const study = await storage.createStudy({ name: 'values', direction: 'minimize' });
  const trial = await storage.createTrial(study.studyId);
  const t0 = performance.now();
  for (let step = 0; step < nValues; step += inFlight) {
    const batch: Promise<void>[] = [];
    for (let s = step; s < Math.min(nValues, step + inFlight); s++) batch.push(storage.setTrialIntermediateValue(trial.trialId, s, 1 / (s + 1)));
    await Promise.all(batch);
  }
  const perSecond = nValues / ((performance.now() - t0) / 1000);
  if ((await storage.getTrial(trial.trialId)).intermediateValues.size !== nValues) throw new Error('values benchmark lost values');
  await storage.close();
  return perSecond;
}

function peer(script: string, args: string[]): string {
  return execFileSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8' }).trim();
}

const dir = mkdtempSync(join(tmpdir(), 'parzen-bench-store-'));
try {
  const life = await benchLifecycle(dir);
  const awaited = await benchValues(dir, 1);
  const grouped = await benchValues(dir, 64);
  const optunaLife = peer('scripts/bench/peers/optuna_store_lifecycle.py', [String(nPeerTrials), `sqlite:///${join(dir, 'optuna-life.db')}`]);
  const optunaReport = peer('/work/shared/peers/optuna_report.py', ['2000', `sqlite:///${join(dir, 'optuna-report.db')}`]);
  const optunaMs = Number(/= ([\d.]+) ms\/trial/.exec(optunaLife)?.[1]);
  const optunaRate = Number(/= (\d+) reports\/s/.exec(optunaReport)?.[1]);
  console.log(`node ${process.version}, ${nTrials} trials, ${nValues} values`);
  console.log(`(a) parzen lifecycle: ${life.msAll.toFixed(3)} ms/trial over ${nTrials} trials; ${life.msLast.toFixed(3)} ms/trial for the last ${Math.min(500, nTrials)}`);
  console.log(`    optuna 3.1 (RandomSampler, SQLite): ${optunaLife}`);
  console.log(`    ratio: optuna / parzen = ${(optunaMs / life.msAll).toFixed(0)}x`);
  console.log(`(b) parzen intermediate values, awaited one by one: ${awaited.toFixed(0)}/s; 64 in flight (group commit): ${grouped.toFixed(0)}/s`);
  console.log(`    optuna 3.1 trial.report on SQLite: ${optunaReport}`);
  console.log(`    ratio: parzen / optuna = ${(awaited / optunaRate).toFixed(0)}x (awaited), ${(grouped / optunaRate).toFixed(0)}x (group commit)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
