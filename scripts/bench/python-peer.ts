/** Runs a Python peer (Debian's /usr/bin/python3, one BLAS thread) and parses the JSON object on its last stdout line. */
import { spawn } from 'node:child_process';

export function runPythonJson<T>(args: readonly string[], label: string, cwd?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [...args], { cwd, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${label} exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}
