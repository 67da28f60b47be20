/**
 * Issue 16, item 11: the size of a SQLite study file whose space holds a large categorical. `nTrials` trials go
 * through the public study API (ask, suggestCategorical over `nChoices` choices, suggestFloat, tell) with
 * RandomSampler; the file is measured after `close()` (which checkpoints the WAL into it), and its growth per
 * trial after the first is reported beside the size of one choice list as JSON, with the time per trial. Only
 * APIs that the schema-version-1 code also has are used, so the same script measures that code when compiled in
 * a checkout of it (docs/BENCHMARKS.md has the commands).
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/store-size.js [nTrials=30] [nChoices=10000]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomSampler } from '../../src/samplers/index.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { createStudy } from '../../src/study/create.js';

const [nTrials, nChoices] = [30, 10000].map((d, i) => Number(process.argv[2 + i] ?? d));
const choices = Array.from({ length: nChoices }, (_, i) => `v${i}`);

/** File size in bytes after `n` trials (the WAL is checkpointed into the file by close), and ms per trial. */
async function sizeAfter(dir: string, n: number): Promise<{ bytes: number; msPerTrial: number }> {
  const file = join(dir, `size-${n}.db`);
  const storage = await SqliteStorage.open(file);
  const study = await createStudy({ storage, name: 'big-categorical', sampler: new RandomSampler({ seed: 1 }) });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = await study.ask();
    t.suggestCategorical('token', choices);
    const x = t.suggestFloat('x', 0, 1);
    await study.tell(t, x);
  }
  const msPerTrial = (performance.now() - t0) / n;
  await storage.close();
  return { bytes: statSync(file).size, msPerTrial };
}

const dir = mkdtempSync(join(tmpdir(), 'parzen-bench-size-'));
try {
  const one = (await sizeAfter(dir, 1)).bytes;
  const { bytes: all, msPerTrial } = await sizeAfter(dir, nTrials);
  const listBytes = JSON.stringify({ kind: 'categorical', choices }).length;
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  console.log(`node ${process.version}, ${nTrials} trials, a ${nChoices}-choice categorical (${kb(listBytes)} as JSON) and a float`);
  console.log(`file after 1 trial: ${one} bytes (${kb(one)}); after ${nTrials} trials: ${all} bytes (${kb(all)})`);
  console.log(`growth per trial after the first: ${((all - one) / (nTrials - 1)).toFixed(0)} bytes; ${msPerTrial.toFixed(2)} ms per trial (ask, 2 suggests, tell)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
