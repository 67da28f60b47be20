/**
 * `tune --help` start-up time (issue 2: under half a second; heavy modules load lazily), beside Optuna 3.1's own
 * CLI (`optuna --help`, Debian python3-optuna) measured in the same run.
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/cli-startup.js [runs=15]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const runs = Number(process.argv[2] ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(cmd: string, args: string[]): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${String(r.status)}`);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const tune = time(process.execPath, [resolve('dist/src/cli/bin.js'), '--help']);
console.log(`tune --help: median ${tune.toFixed(0)} ms over ${runs} runs (goal < 500 ms)`);
if (existsSync('/usr/bin/optuna')) {
  const optuna = time('/usr/bin/optuna', ['--help']);
  console.log(`optuna --help (3.1): median ${optuna.toFixed(0)} ms; ratio optuna / tune = ${(optuna / tune).toFixed(1)}x`);
} else {
  console.log('optuna CLI not found at /usr/bin/optuna (apt-get install python3-optuna)');
}
