import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface BackgroundTune {
  /** Send a signal to the `tune` process. */
  kill(signal: NodeJS.Signals): void;
  readonly pid: number | undefined;
  /** Resolves once stderr has shown `count` lines matching `pattern` (rejects if `tune` exits first). */
  until(pattern: RegExp, count?: number): Promise<void>;
  /** How it ended: its exit code, or the signal that killed it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/**
 * Start the real `tune` in a child process, to interrupt it when its stderr says it got somewhere (no sleeps).
 * `via` is an argv prefix that execs its last words (`ip netns exec NS …`), so the child's pid is tune's own.
 */
export function startTune(args: readonly string[], env: Record<string, string> = {}, via: readonly string[] = []): BackgroundTune {
  const argv = [...via, process.execPath, BIN, ...args];
  const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if ((stderr.match(new RegExp(w.pattern.source, 'g')) ?? []).length < w.count) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    kill: (signal) => child.kill(signal),
    pid: child.pid,
    until: (pattern, count = 1) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, count, resolve });
        check();
        void exited.then(() => reject(new Error(`tune exited before ${count}× ${pattern}:\n${stderr}`)));
      }),
    exited,
    stderr: () => stderr,
  };
}
