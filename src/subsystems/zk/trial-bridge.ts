/**
 * Runs a zk trial in a child process (trial-process.ts) when it was started on a worker thread, where snarkjs cannot
 * load (trial-protocol.ts says why), and relays its context calls. A prover process that dies (killed, out of
 * memory) fails the trial with a ProofGenerationError carrying its exit status, signal and stderr.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ParzenError, type ErrorCode } from '../../errors.js';
import type { SubsystemTrialContext } from '../subsystem.js';
import { ProofGenerationError } from './errors.js';
import type { FromChild, ToChild } from './trial-protocol.js';

function rebuild(m: Extract<FromChild, { type: 'failed' }>): Error {
  const e = m.code !== null ? new ParzenError(m.code as ErrorCode, m.message) : new Error(m.message);
  if (m.stack !== null) e.stack = m.stack;
  return e;
}

/** `onChild` sees the prover process once it is started (tests kill it there). */
export function runTrialInChild(params: Readonly<Record<string, unknown>>, ctx: SubsystemTrialContext, hooks: { onChild?(child: ChildProcess): void } = {}): Promise<number> {
  const entry = fileURLToPath(new URL('./trial-process.js', import.meta.url));
  const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  hooks.onChild?.(child);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8000)));
  const send = (m: ToChild): void => void (child.connected && child.send(m));
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void): void => {
      settled = true;
      f();
    };
    const onAbort = (): void => send({ type: 'abort' });
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.on('message', (m: FromChild) => {
      switch (m.type) {
        case 'metrics': return ctx.metrics(m.step, m.values);
        case 'report': return ctx.report(m.step, m.value);
        case 'progress': return ctx.progress(m.p);
        case 'log': return ctx.log(m.level, m.message, m.data);
        case 'attr': return ctx.setAttr(m.key, m.value);
        case 'should-prune': return send({ type: 'prune-answer', prune: ctx.shouldPrune() });
        case 'done': return settle(() => resolve(m.value));
        case 'pruned': return settle(() => { try { ctx.prune(m.message); } catch (e) { reject(e); } });
        case 'failed': return settle(() => reject(rebuild(m)));
      }
    });
    child.on('exit', (code, signal) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (!settled) {
        reject(new ProofGenerationError(`the zk prover process ended (exit ${code ?? '-'}, signal ${signal ?? '-'}) before the trial finished${stderr !== '' ? `: ${stderr.trim().slice(-2000)}` : ''}`, { exitCode: code, signal, stderr, retryable: false }));
      }
    });
    send({ type: 'start', params, trialNumber: ctx.trialNumber, seed: ctx.seed, budget: ctx.budget, datasetsDir: ctx.datasetsDir, ...(ctx.trialDir === undefined ? {} : { trialDir: ctx.trialDir }) });
  });
}
