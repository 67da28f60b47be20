import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, tune } from './cli.js';
import { smallOptimizerStudy } from './small-optimizer-study.js';

test('SIGINT during a trial on 2 train workers: the trial stops at its epoch’s end, is stored INTERRUPTED, and tune exits 130', { timeout: 120_000 }, async () => {
  const { cwd, base } = smallOptimizerStudy();
  // 500 epochs: far more than the test waits, so only the interrupt ends the trial.
  const args = base.map((a, i) => (base[i - 1] === '--epochs' ? '500' : a));
  const child = spawn(process.execPath, [BIN, ...args, '--study', 'i', '--trials', '1', '--workers', '2', '--grace', '20'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/trial 0 started on 2 train workers/.test(stderr) && /trial 0 epoch 2\/500/.test(stderr)) resolve();
    });
    void exited.then(() => reject(new Error(`tune exited before the trial's second epoch:\n${stderr}`)));
  });
  child.kill('SIGINT');
  // Within the 20 s grace: the leader hears the interrupt at the epoch's end, its replica stops with it, and no
  // thread is left to keep the process alive.
  assert.equal(await exited, 130, stderr);
  const listed = tune(['trials', '--study', 'i', '--json', '--storage', base[base.indexOf('--storage') + 1]], { cwd });
  const [t] = JSON.parse(listed.stdout) as { state: string; error: { code: string; message: string } | null; userAttrs: Record<string, unknown> }[];
  assert.deepEqual([t.state, t.error?.code, t.userAttrs['train_workers']], ['FAIL', 'INTERRUPTED', 2]);
  // It stopped on its own (its replica with it), not by the pool terminating its thread when the grace ran out.
  assert.match(t.error?.message ?? '', /optimizer: training was interrupted/);
  assert.doesNotMatch(t.error?.message ?? '', /grace period/);
});
