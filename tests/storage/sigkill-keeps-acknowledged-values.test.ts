import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../src/storage/open.js';

const reporter = fileURLToPath(new URL('./fixtures/reporter.js', import.meta.url));

test('a process killed with SIGKILL while reporting loses none of the intermediate values it had acknowledged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-sigkill-'));
  try {
    const file = join(dir, 'killed.db');
    const setup = await openStorage(`sqlite:${file}`);
    const study = await setup.createStudy({ name: 'k', direction: 'minimize' });
    const trial = await setup.createTrial(study.studyId);
    await setup.close();

    const child = spawn(process.execPath, [reporter, file, String(trial.trialId)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Set<number>();
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('ack ')) acked.add(Number(line.slice(4)));
        // Kill mid-stream, once plenty has been acknowledged and more is in flight.
        if (acked.size >= 2000 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      // On a loaded machine the child may be slow to reach 2000; kill it after 10 s whatever it acknowledged.
      const deadline = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('exit', () => {
        clearTimeout(deadline);
        resolve();
      });
    });
    assert.equal(child.signalCode, 'SIGKILL');
    assert.ok(acked.size > 0, 'the child acknowledged values before it was killed');

    const after = await openStorage(`sqlite:${file}`);
    const stored = (await after.getTrial(trial.trialId)).intermediateValues;
    const lost = [...acked].filter((s) => stored.get(s) !== 1 / (s + 1));
    assert.deepEqual(lost, [], `${lost.length} acknowledged values were lost`);
    await after.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
