import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, fixture, tempStore, tune } from './cli.js';

interface TrialJson {
  number: number;
  state: string;
  params: Record<string, unknown>;
  error: { message: string; stack: string | null; code: string | null } | null;
}

const trialsOf = (storage: string, study: string): TrialJson[] => JSON.parse(tune(['trials', '--study', study, '--json', '--storage', storage]).stdout) as TrialJson[];

/** Start `tune` in the background and resolve once its stderr has shown `count` lines matching `pattern`. */
function startUntil(args: string[], pattern: RegExp, count: number, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? -9 : null))));
  const reached = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if ((stderr.match(new RegExp(pattern.source, 'g')) ?? []).length >= count) resolve();
    });
    void exited.then(() => reject(new Error(`tune exited before ${count}× ${pattern}:\n${stderr}`)));
  });
  return { child, reached, exited, stderr: () => stderr };
}

test('crashing worker threads and throwing objectives fail only their trials; the study completes', () => {
  const storage = tempStore();
  const r = tune(['--objective', fixture('crashy'), '--trials', '12', '--study', 'c', '--seed', '4', '--workers', '2', '--storage', storage]);
  assert.equal(r.status, 1, r.stderr);
  const trials = trialsOf(storage, 'c');
  assert.equal(trials.length, 12);
  const crashed = trials.filter((t) => t.error?.code === 'WORKER');
  const thrown = trials.filter((t) => t.error !== null && /objective refused/.test(t.error.message));
  assert.ok(crashed.length > 0 && thrown.length > 0, JSON.stringify(trials.map((t) => [t.state, t.params.x, t.error?.code])));
  for (const t of thrown) assert.match(t.error?.stack ?? '', /crashy\.ts/);
  for (const t of crashed) assert.ok((t.params.x as number) < 0.3);
  assert.ok(trials.filter((t) => t.state === 'COMPLETE').every((t) => (t.params.x as number) >= 0.3 && (t.params.x as number) <= 0.8));
  assert.ok(trials.every((t) => t.state !== 'RUNNING'));
});

test('SIGINT mid-study then --resume gives exactly the requested COMPLETE trials, none lost or duplicated', async () => {
  const storage = tempStore();
  const args = ['--objective', fixture('sleepy'), '--trials', '10', '--study', 'r', '--seed', '9', '--workers', '2', '--grace', '5', '--storage', storage];
  const run = startUntil(args, /COMPLETE/, 3);
  await run.reached;
  run.child.kill('SIGINT');
  const code = await run.exited;
  assert.equal(code, 130, run.stderr());
  const afterInterrupt = trialsOf(storage, 'r');
  assert.ok(afterInterrupt.every((t) => t.state !== 'RUNNING'), 'no trial may stay RUNNING');
  const done = afterInterrupt.filter((t) => t.state === 'COMPLETE').length;
  assert.ok(done >= 3 && done < 10, `completed before the interrupt: ${done}`);

  const resumed = tune([...args, '--resume']);
  assert.equal(resumed.status, 0, resumed.stderr);
  const trials = trialsOf(storage, 'r');
  assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 10);
  assert.deepEqual(trials.map((t) => t.number), trials.map((_, i) => i));
  assert.ok(trials.every((t) => t.state === 'COMPLETE' || t.error?.code === 'INTERRUPTED'), JSON.stringify(trials.map((t) => t.state)));
});

test('after kill -9, the next tune on the study marks the orphaned RUNNING trials failed', async () => {
  const storage = tempStore();
  const args = ['--objective', fixture('sleepy'), '--trials', '4', '--study', 'k', '--seed', '1', '--workers', '2', '--storage', storage];
  const run = startUntil(args, /started/, 2, { PARZEN_TEST_SLEEP_MS: '60000' });
  await run.reached;
  // The trials are RUNNING in the store once their start line is printed.
  run.child.kill('SIGKILL');
  await run.exited;
  const orphaned = trialsOf(storage, 'k').filter((t) => t.state === 'RUNNING');
  assert.ok(orphaned.length >= 1, 'kill -9 should leave RUNNING trials behind');

  const next = tune([...args.slice(0, 3), '--trials', '1', '--study', 'k', '--workers', '1', '--storage', storage]);
  assert.equal(next.status, 0, next.stderr);
  assert.match(next.stderr, /left RUNNING by a process that is gone: marked FAIL/);
  const trials = trialsOf(storage, 'k');
  assert.ok(trials.every((t) => t.state !== 'RUNNING'));
  for (const o of orphaned) {
    const t = trials.find((x) => x.number === o.number);
    assert.equal(t?.state, 'FAIL');
    assert.match(t?.error?.message ?? '', /orphaned/);
  }
});

test('--deterministic gives identical parameters trial by trial with 1 and with 2 workers', () => {
  const paramsWith = (workers: string): unknown[] => {
    const storage = tempStore();
    const r = tune(['--objective', fixture('quadratic'), '--trials', '20', '--study', 'd', '--seed', '7', '--deterministic', '--workers', workers, '--storage', storage]);
    assert.equal(r.status, 0, r.stderr);
    return trialsOf(storage, 'd').map((t) => t.params);
  };
  const one = paramsWith('1');
  const two = paramsWith('2');
  assert.equal(one.length, 20);
  assert.deepEqual(two, one);
});
