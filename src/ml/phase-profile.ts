import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/**
 * Where a training thread's time goes, phase by phase (forward+backward, the gradient exchange, the barrier, the
 * optimizer update, …): CPU time of the calling thread and wall time, summed per phase. Turned on by
 * PARZEN_PHASE_PROFILE=1; each thread running `train` (the single worker, or every data-parallel replica) then
 * writes one JSON line to stderr when it finishes (issue 17's per-phase profile of a data-parallel step).
 *
 * Thread CPU comes from /proc/thread-self/schedstat (the scheduler's on-CPU nanoseconds of this thread alone), read
 * right after a getrusage so that it is current (see `nowNs`): process.cpuUsage sums every thread, and Node 20 has
 * no per-thread counterpart. The file is opened once per
 * thread; a pread at offset 0 regenerates it. Where it cannot be read (not Linux) the profile reports wall only.
 */

/** Each phase's summed thread CPU and wall milliseconds, and how many times it ran. */
export interface PhaseTotals {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly calls: number;
}

export interface PhaseReport {
  readonly label: string;
  /** The thread's id (its /proc/self/task entry), so a bench can tell its CPU from the process's other threads'. */
  readonly threadId: number | null;
  readonly steps: number;
  /** Thread CPU from the end of the first step to the end of the last, all phases and the gaps between them. */
  readonly threadCpuMs: number;
  readonly phases: Readonly<Record<string, PhaseTotals>>;
}

/** PARZEN_PHASE_PROFILE: unset or 0 off, 1 on; anything else is a ConfigError naming the variable. */
export function phaseProfileWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env['PARZEN_PHASE_PROFILE'];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new ConfigError(`PARZEN_PHASE_PROFILE: expected 0 (off) or 1 (per-phase CPU profile of training on stderr), got '${raw}'`, { code: 'USAGE' });
}

/** This thread's on-CPU nanoseconds, or null where /proc/thread-self/schedstat is missing. */
class ThreadClock {
  readonly #fd: number | null;
  readonly #buf = Buffer.alloc(128);

  constructor() {
    let fd: number | null = null;
    try {
      fd = openSync('/proc/thread-self/schedstat', 'r');
    } catch (e) {
      // Not Linux (or no procfs): the profile still reports wall time; say so once rather than hide it.
      writeSync(2, `phase profile: no thread CPU clock (${(e as Error).message}); wall time only\n`);
    }
    this.#fd = fd;
  }

  nowNs(): number | null {
    if (this.#fd === null) return null;
    // schedstat's runtime of a running thread advances only at scheduler ticks (4 ms at HZ=250) and context switches,
    // so a bare read lags by up to a tick and the lag lands on whichever phase next blocks (the barrier). getrusage
    // (process.cpuUsage) brings the calling thread's runtime up to date first (the kernel's thread_group_cputime
    // calls task_sched_runtime on the current task), making the read exact to the microsecond.
    process.cpuUsage();
    const n = readSync(this.#fd, this.#buf, 0, this.#buf.length, 0);
    return Number(this.#buf.toString('latin1', 0, n).split(' ')[0]);
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
  }
}

/** The calling thread's id from /proc/thread-self/stat, or null where it cannot be read. */
function threadId(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/stat', 'latin1').split(' ')[0]);
  } catch (e) {
    writeSync(2, `phase profile: no thread id (${(e as Error).message})\n`);
    return null;
  }
}

export class PhaseProfile {
  readonly #label: string;
  readonly #clock = new ThreadClock();
  readonly #totals = new Map<string, { cpuNs: number; wallMs: number; calls: number }>();
  #startCpuNs: number | null = null;
  #lastCpuNs: number | null = null;
  #steps = 0;

  constructor(label: string) {
    this.#label = label;
  }

  /** Run `fn` as phase `name`; nested phases are counted in their own and in the enclosing phase. */
  time<T>(name: string, fn: () => T): T {
    const cpu0 = this.#clock.nowNs();
    const wall0 = performance.now();
    try {
      return fn();
    } finally {
      const cpu1 = this.#clock.nowNs();
      const t = this.#totals.get(name) ?? { cpuNs: 0, wallMs: 0, calls: 0 };
      t.cpuNs += cpu0 === null || cpu1 === null ? 0 : cpu1 - cpu0;
      t.wallMs += performance.now() - wall0;
      t.calls += 1;
      this.#totals.set(name, t);
    }
  }

  /**
   * A step ended. The first step (kernel warm-up, the other replicas still starting) is not counted: the totals
   * restart after it, so they describe steady steps.
   */
  endStep(): void {
    this.#steps += 1;
    this.#lastCpuNs = this.#clock.nowNs();
    if (this.#steps === 1) {
      this.#totals.clear();
      this.#startCpuNs = this.#lastCpuNs;
    }
  }

  report(): PhaseReport {
    // Up to the last step's end: validation and checkpoints after it are not step time.
    const now = this.#lastCpuNs;
    const phases: Record<string, PhaseTotals> = {};
    for (const [name, t] of this.#totals) phases[name] = { cpuMs: t.cpuNs / 1e6, wallMs: t.wallMs, calls: t.calls };
    const threadCpuMs = now === null || this.#startCpuNs === null ? Number.NaN : (now - this.#startCpuNs) / 1e6;
    return { label: this.#label, threadId: threadId(), steps: Math.max(0, this.#steps - 1), threadCpuMs, phases };
  }

  /** Write the report as one JSON line to stderr, synchronously (a worker thread may be terminated right after). */
  write(): void {
    writeSync(2, `phase profile ${JSON.stringify(this.report())}\n`);
    this.#clock.close();
  }
}
