/**
 * Benchmark (c) of issue 2: the study store's cost on a SQLite file, beside Optuna 3.1 in the same run.
 *   (a) one trial lifecycle through the study API, as the Optuna peer does it: ask (which reads the study's
 *       trials for the sampler), 5 suggests, 2 user attrs, tell; RandomSampler so sampling costs nothing —
 *       goal ≤ 1 ms;
 *   (b) intermediate values through setTrialIntermediateValue, each durable when its promise resolves —
 *       goal ≥ 50,000/s; measured awaited one at a time (a transaction each) and with 64 in flight
 *       (group commit: one transaction per batch, every value acknowledged only after its batch commits).
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/store-cost.js [nTrials=2000] [nValues=50000] [nPeerTrials=200]
 * CPU time per lifecycle is printed beside wall time: on a shared machine it is the steadier figure.
 * nPeerTrials=0 skips the Optuna peers (for a machine without Optuna, or comparing two parzen versions).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { createStudy } from '../../src/study/create.js';
import { storeLifecycle as lifecycle } from './store-lifecycle.js';

const [nTrials, nValues, nPeerTrials] = [2000, 50000, 200].map((d, i) => Number(process.argv[2 + i] ?? d));

async function benchLifecycle(dir: string): Promise<{ msAll: number; msLast: number; cpuMs: number }> {
  const storage = await SqliteStorage.open(join(dir, 'lifecycle.db'));
  const study = await createStudy({ storage, name: 'lifecycle', sampler: new RandomSampler({ seed: 1 }) });
  const lastN = Math.min(500, nTrials);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let tLast = t0;
  for (let i = 0; i < nTrials; i++) {
    if (i === nTrials - lastN) tLast = performance.now();
    await lifecycle(study, i);
  }
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const all = await storage.getAllTrials(study.studyId);
  if (all.length !== nTrials || all.some((t) => Object.keys(t.params).length !== 5 || t.state !== 'COMPLETE')) {
    throw new Error('lifecycle benchmark wrote wrong trials');
  }
  await storage.close();
  return { msAll: (end - t0) / nTrials, msLast: (end - tLast) / lastN, cpuMs: (cpu.user + cpu.system) / 1000 / nTrials };
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

/** Intermediate values through the public Trial API: `trial.report` in bursts of 64, then `tell` (all durable). */
async function benchTrialReports(dir: string): Promise<number> {
  const storage = await SqliteStorage.open(join(dir, 'trial-reports.db'));
  const study = await createStudy({ storage, name: 'reports', sampler: new RandomSampler({ seed: 1 }) });
  const trial = await study.ask();
  const t0 = performance.now();
  for (let step = 0; step < nValues; step++) {
    trial.report(step, 1 / (step + 1));
    if (step % 64 === 63) await trial.flush();
  }
  await study.tell(trial, 0);
  const perSecond = nValues / ((performance.now() - t0) / 1000);
  if ((await storage.getTrial(trial.trialId)).intermediateValues.size !== nValues) throw new Error('trial.report benchmark lost values');
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
  const viaTrial = await benchTrialReports(dir);
  console.log(`node ${process.version}, ${nTrials} trials, ${nValues} values`);
  console.log(`(a) parzen lifecycle: ${life.msAll.toFixed(3)} ms/trial over ${nTrials} trials; ${life.msLast.toFixed(3)} ms/trial for the last ${Math.min(500, nTrials)}; CPU ${life.cpuMs.toFixed(3)} ms/trial`);
  console.log(`(b) parzen intermediate values, awaited one by one: ${awaited.toFixed(0)}/s; 64 in flight (group commit): ${grouped.toFixed(0)}/s`);
  console.log(`    parzen trial.report (bursts of 64, then flush): ${viaTrial.toFixed(0)}/s`);
  if (nPeerTrials > 0) comparePeers(dir, life.msAll, awaited, grouped);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function comparePeers(dir: string, lifeMs: number, awaited: number, grouped: number): void {
  const optunaLife = peer('scripts/bench/peers/optuna_store_lifecycle.py', [String(nPeerTrials), `sqlite:///${join(dir, 'optuna-life.db')}`]);
  const optunaReport = peer('/work/shared/peers/optuna_report.py', ['2000', `sqlite:///${join(dir, 'optuna-report.db')}`]);
  const optunaMs = Number(/= ([\d.]+) ms\/trial/.exec(optunaLife)?.[1]);
  const optunaRate = Number(/= (\d+) reports\/s/.exec(optunaReport)?.[1]);
  console.log(`    optuna 3.1 (RandomSampler, SQLite): ${optunaLife}`);
  console.log(`    ratio: optuna / parzen = ${(optunaMs / lifeMs).toFixed(0)}x (lifecycle)`);
  console.log(`    optuna 3.1 trial.report on SQLite: ${optunaReport}`);
  console.log(`    ratio: parzen / optuna = ${(awaited / optunaRate).toFixed(0)}x (awaited), ${(grouped / optunaRate).toFixed(0)}x (group commit)`);
}
