import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openStorage } from '../../src/storage/open.js';

const run = promisify(execFile);
const writer = fileURLToPath(new URL('./fixtures/trial-writer.js', import.meta.url));

test('four processes creating and finishing trials on one SQLite file never hit "database is locked" and get dense unique numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-concurrent-'));
  try {
    const file = join(dir, 'shared.db');
    const storage = await openStorage(`sqlite:${file}`);
    const study = await storage.createStudy({ name: 'race', direction: 'minimize' });
    const nProcesses = 4;
    const perProcess = 60;
    const results = await Promise.all(
      Array.from({ length: nProcesses }, (_, w) => run(process.execPath, [writer, file, 'race', String(perProcess), `w${w}`])),
    );
    const numbers = results.flatMap((r) => (JSON.parse(r.stdout) as { numbers: number[] }).numbers);
    for (const r of results) assert.doesNotMatch(r.stderr, /locked|busy/i);
    const total = nProcesses * perProcess;
    assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i));
    const trials = await storage.getAllTrials(study.studyId);
    assert.equal(trials.length, total);
    assert.ok(trials.every((t, i) => t.number === i && t.state === 'COMPLETE' && t.intermediateValues.size === 1));
    assert.deepEqual(new Set(trials.map((t) => t.worker)), new Set(['w0', 'w1', 'w2', 'w3']));
    await storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
