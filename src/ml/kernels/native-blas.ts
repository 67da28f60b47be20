import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors.js';

/**
 * The optional native addon (native/, built by scripts/build-native.mjs over the system's CBLAS). This file loads
 * no TensorFlow.js: `tune doctor` asks it what is in use without paying for the runtime.
 *
 * Environment: PARZEN_NATIVE=0 forces the wasm path; PARZEN_NATIVE=1 makes a missing or broken addon an error;
 * PARZEN_NATIVE_ADDON=path loads another build; PARZEN_NATIVE_THREADS=n sets BLAS threads (default 1, since
 * trials and train workers already run one per core).
 */

/** What the addon exports (native/src/parzen_blas.c). */
export interface NativeBlas {
  /** out[i] = op(a[i]) · op(b[i]) row-major, in place on the given arrays; a batch of 1 broadcasts. */
  sgemmBatched(a: Float32Array, b: Float32Array, out: Float32Array, batchA: number, batchB: number, m: number, n: number, k: number, transA: boolean, transB: boolean): void;
  setThreads(n: number): number;
  info(): { library: string; config: string; threads: number };
}

/** Which matrix products run, and why: what `tune doctor` prints and trials record as attribute `matmul`. */
export interface MatmulStatus {
  readonly kind: 'native' | 'wasm';
  /** e.g. `native (OpenBLAS 0.3.21, 1 thread)` or `wasm (PARZEN_NATIVE=0)`. */
  readonly summary: string;
  readonly addonPath: string | null;
  readonly blasConfig: string | null;
  readonly threads: number | null;
}

const ADDON_RELATIVE = join('native', 'build', 'Release', 'parzen_blas.node');

let loaded: { blas: NativeBlas | null; status: MatmulStatus } | null = null;

/** The built addon: PARZEN_NATIVE_ADDON, else native/build/Release beside the package root above this module. */
export function addonPath(): string | null {
  const fromEnv = process.env['PARZEN_NATIVE_ADDON'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) {
      const candidate = join(dir, ADDON_RELATIVE);
      return existsSync(candidate) ? candidate : null;
    }
    dir = dirname(dir);
  }
  return null;
}

function threadCount(): number {
  const raw = process.env['PARZEN_NATIVE_THREADS'];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(`PARZEN_NATIVE_THREADS: expected a positive integer, got '${raw}'; unset it for 1 BLAS thread`, { code: 'USAGE' });
  }
  return n;
}

function wasmOnly(reason: string): { blas: null; status: MatmulStatus } {
  return { blas: null, status: Object.freeze({ kind: 'wasm', summary: `wasm (${reason})`, addonPath: null, blasConfig: null, threads: null }) };
}

function load(): { blas: NativeBlas | null; status: MatmulStatus } {
  const mode = process.env['PARZEN_NATIVE'];
  if (mode !== undefined && mode !== '' && mode !== '0' && mode !== '1') {
    throw new ConfigError(`PARZEN_NATIVE: expected 0 (wasm only) or 1 (native required), got '${mode}'; unset it to use the addon when built`, { code: 'USAGE' });
  }
  if (mode === '0') return wasmOnly('PARZEN_NATIVE=0');
  const path = addonPath();
  const required = mode === '1';
  if (path === null || !existsSync(path)) {
    const why = path === null ? 'native addon not built' : `no native addon at ${path}`;
    if (required) throw new ConfigError(`PARZEN_NATIVE=1 but ${why}; install libopenblas-dev and run \`node scripts/build-native.mjs\``, { code: 'USAGE' });
    return wasmOnly(`${why}; install libopenblas-dev and run \`node scripts/build-native.mjs\` for native products`);
  }
  let blas: NativeBlas;
  try {
    blas = createRequire(import.meta.url)(path) as NativeBlas;
  } catch (e) {
    // A BLAS removed after the build makes dlopen fail: say so and keep training on wasm, unless native was required.
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    if (required) throw new ConfigError(`PARZEN_NATIVE=1 but the native addon failed to load: ${message}; rebuild it with \`node scripts/build-native.mjs\``, { cause: e, code: 'USAGE' });
    return wasmOnly(`native addon failed to load: ${message}`);
  }
  const threads = blas.setThreads(threadCount());
  const info = blas.info();
  const version = /OpenBLAS [0-9.]+/.exec(info.config)?.[0] ?? info.library;
  const summary = `native (${version}, ${threads} thread${threads === 1 ? '' : 's'})`;
  return { blas, status: Object.freeze({ kind: 'native', summary, addonPath: path, blasConfig: info.config, threads }) };
}

/** The addon when it is built and allowed, else null; loaded once per thread. Throws only for bad PARZEN_NATIVE* values. */
export function nativeBlas(): NativeBlas | null {
  loaded ??= load();
  return loaded.blas;
}

/**
 * What matrix products this thread uses (native when the addon loads, wasm otherwise, with the reason).
 * @example process.stdout.write(`matmul: ${matmulStatus().summary}\n`)
 */
export function matmulStatus(): MatmulStatus {
  loaded ??= load();
  return loaded.status;
}
