import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, fixture, tune } from './cli.js';

interface TrialJson {
  number: number;
  state: string;
}

/** Start `tune` in the background; `waitFor(re)` resolves with the first match once stderr shows it. */
function start(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters.splice(0)) {
      const m = stderr.match(w.re);
      if (m !== null) w.resolve(m);
      else waiters.push(w);
    }
  });
  const waitFor = (re: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const m = stderr.match(re);
      if (m !== null) return resolve(m);
      waiters.push({ re, resolve });
      void exited.then(() => reject(new Error(`tune exited before printing ${re}:\n${stderr}`)));
    });
  return { waitFor, exited, stderr: () => stderr };
}

test('a disk that fills under the log mid-study (writes fail with ENOSPC) is one warning; every trial finishes, exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-full-log-'));
  const storage = `sqlite:${join(dir, 'tuning.db')}`;
  const gate = join(dir, 'gate');
  const run = start(['--objective', fixture('gated'), '--trials', '40', '--study', 'full', '--seed', '6', '--workers', '0', '--storage', storage], {
    PARZEN_TEST_GATE: gate,
    PARZEN_TEST_GATE_AT: '34',
  });
  const [, logFile] = await run.waitFor(/^logs: (.+)$/m);
  // Trial 34 is in flight, held at the gate: 34 trials are logged. Now the disk fills: the log's path leads to
  // /dev/full, where every write fails with ENOSPC (the logger appends by path, so its next line goes there).
  await run.waitFor(/^trial 34 started/m);
  unlinkSync(logFile);
  symlinkSync('/dev/full', logFile);
  writeFileSync(gate, '');
  const code = await run.exited;
  const stderr = run.stderr();
  assert.equal(code, 0, stderr);
  const warnings = stderr.split('\n').filter((l) => l.startsWith('warning:'));
  assert.equal(warnings.length, 1, stderr);
  assert.ok(warnings[0].includes(logFile), warnings[0]);
  assert.match(warnings[0], /ENOSPC: no space left on device.*logging to it stopped and the study goes on/);
  assert.ok(!stderr.includes('    at '), `no stack trace:\n${stderr}`);
  assert.match(stderr, /40 trials run \(40 COMPLETE/);
  const trials = JSON.parse(tune(['trials', '--study', 'full', '--json', '--storage', storage]).stdout) as TrialJson[];
  assert.equal(trials.length, 40);
  assert.ok(trials.every((t) => t.state === 'COMPLETE'), JSON.stringify(trials.map((t) => [t.number, t.state])));
  assert.ok(lstatSync(logFile).isSymbolicLink(), 'the fault stayed in place for the rest of the study');
});
