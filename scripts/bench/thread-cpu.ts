/**
 * CPU of every thread of this process, from /proc/self/task/<tid>/schedstat (the scheduler's on-CPU nanoseconds
 * per thread), for the benches that ask which threads besides the training threads take CPU (issue 17: V8's
 * garbage-collector and compiler helper threads, libuv's pool, the main thread). Node 20 names none of its threads
 * (every comm is "node"), so a thread is told apart by its id: the main thread's id is the pid, and Node starts its
 * V8 platform threads (4 workers and the delayed-task thread with the default --v8-pool-size) right after it; a
 * worker thread reports its own id (`ownThreadId`).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Thread id → on-CPU nanoseconds so far. */
export type ThreadCpu = ReadonlyMap<number, number>;

export function threadCpuSnapshot(): ThreadCpu {
  // getrusage brings the calling thread's runtime up to date (a running thread's schedstat lags by up to a tick);
  // threads running on other cores at this moment still lag by up to a tick, which a long window makes negligible.
  process.cpuUsage();
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc/self/task')) {
    try {
      out.set(Number(name), Number(readFileSync(`/proc/self/task/${name}/schedstat`, 'latin1').split(' ')[0]));
    } catch (e) {
      // A thread that exited between the listing and the read has no file left: it is simply not in this snapshot.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  return out;
}

/** The calling thread's id (the tid in /proc/self/task), from /proc/thread-self/stat. */
export function ownThreadId(): number {
  return Number(readFileSync('/proc/thread-self/stat', 'latin1').split(' ')[0]);
}

/**
 * Milliseconds of CPU each thread used between two snapshots (threads started in between count from 0; threads
 * gone by `after` are lost with their time, which is why the benches take `after` while every thread still runs),
 * labelled by `label(tid)`, summed per label.
 */
export function threadCpuBetween(before: ThreadCpu, after: ThreadCpu, label: (tid: number) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tid, ns] of after) {
    const key = label(tid);
    out[key] = (out[key] ?? 0) + (ns - (before.get(tid) ?? 0)) / 1e6;
  }
  return out;
}

/** The whole machine's busy and stolen CPU milliseconds so far (/proc/stat's first line; USER_HZ = 100). */
export function machineCpuMs(): { busyMs: number; stealMs: number } {
  const f = readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: busy = all but idle, iowait and steal.
  const [user, nice, system, , , irq, softirq, steal] = f;
  return { busyMs: (user + nice + system + irq + softirq) * 10, stealMs: steal * 10 };
}

/** CPU milliseconds of this process's waited-for children so far (/proc/self/stat cutime + cstime, USER_HZ = 100). */
export function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  // Fields after the command name (which may hold spaces): state is field 3, cutime and cstime fields 16 and 17.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[13]) + Number(rest[14])) * 10;
}
