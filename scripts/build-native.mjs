#!/usr/bin/env node
/**
 * Build parzen's optional native matrix products (native/, N-API over the system's CBLAS) when a BLAS is present.
 * Run by `npm install`; it never fails the install: without a BLAS, a compiler or Node's headers it says why and
 * exits 0, and parzen uses the wasm backend's own kernels.
 *
 *   node scripts/build-native.mjs [--quiet]
 *   PARZEN_NATIVE=0                  skip the build
 *   PARZEN_BLAS_INCLUDE=dir[:dir]    where to look for cblas.h (default: the system include folders)
 *   PARZEN_BLAS_LIB_DIR=dir[:dir]    where to look for libopenblas / libcblas / libblas (default: the system lib folders)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const addon = join(nativeDir, 'build', 'Release', 'parzen_blas.node');
const quiet = process.argv.includes('--quiet');
const say = (msg) => process.stdout.write(`parzen native: ${msg}\n`);

const MULTIARCH = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', ppc64: 'powerpc64le-linux-gnu', s390x: 's390x-linux-gnu' }[process.arch];
const split = (v) => (v ?? '').split(':').filter((d) => d !== '');

function includeDirs() {
  const fromEnv = split(process.env.PARZEN_BLAS_INCLUDE);
  if (fromEnv.length > 0) return fromEnv;
  const dirs = ['/usr/include', '/usr/local/include', '/opt/homebrew/opt/openblas/include', '/usr/local/opt/openblas/include'];
  if (MULTIARCH !== undefined) dirs.splice(1, 0, `/usr/include/${MULTIARCH}`, `/usr/include/${MULTIARCH}/openblas-pthread`);
  return [...dirs, '/usr/include/openblas'];
}

function libDirs() {
  const fromEnv = split(process.env.PARZEN_BLAS_LIB_DIR);
  if (fromEnv.length > 0) return fromEnv;
  const dirs = ['/usr/lib', '/usr/local/lib', '/usr/lib64', '/opt/homebrew/opt/openblas/lib', '/usr/local/opt/openblas/lib'];
  if (MULTIARCH !== undefined) dirs.unshift(`/usr/lib/${MULTIARCH}`);
  return dirs;
}

/** The BLAS to build against: cblas.h's folder and one library, OpenBLAS preferred (it can be told its thread count). */
function detectBlas() {
  const include = includeDirs().find((d) => existsSync(join(d, 'cblas.h')));
  if (include === undefined) return { reason: `no cblas.h in ${includeDirs().join(', ')} (install libopenblas-dev, or set PARZEN_BLAS_INCLUDE)` };
  const ext = process.platform === 'darwin' ? 'dylib' : 'so';
  for (const [lib, openblas] of [['openblas', true], ['cblas', false], ['blas', false]]) {
    const dir = libDirs().find((d) => existsSync(join(d, `lib${lib}.${ext}`)));
    if (dir !== undefined) return { include, libDir: dir, lib, openblas };
  }
  return { reason: `no libopenblas, libcblas or libblas in ${libDirs().join(', ')} (install libopenblas-dev, or set PARZEN_BLAS_LIB_DIR)` };
}

/** node-gyp: the one npm runs with (npm_config_node_gyp), else npm's bundled copy beside this node, else a local one. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch (e) {
    if (e?.code !== 'MODULE_NOT_FOUND') throw e;
  }
  return candidates.find((c) => c !== undefined && existsSync(c));
}

/** Node's own headers when this node ships them (Debian's nodejs-dev, the official tarballs): no download needed. */
function nodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** Load the built addon in a fresh process and check one product with a transpose: a bad link must not survive. */
function smokeTest() {
  const code = `
    const m = require(${JSON.stringify(addon)});
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);           // 2×3
    const b = new Float32Array([1, 0, 0, 1, 1, 1]);           // 2×3, used transposed: 3×2
    const out = new Float32Array(4);
    m.sgemmBatched(a, b, out, 1, 1, 2, 2, 3, false, true);
    const want = [1, 1 + 2 + 3, 4, 4 + 5 + 6]; // a · bᵀ
    if (want.some((w, i) => out[i] !== w)) { console.error('wrong product ' + Array.from(out)); process.exit(1); }
    console.log(JSON.stringify(m.info()));`;
  return spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
}

function skip(reason) {
  say(`skipped: ${reason}. parzen uses the wasm backend's matrix products.`);
  process.exit(0);
}

function main() {
  if (process.env.PARZEN_NATIVE === '0') skip('PARZEN_NATIVE=0');
  const blas = detectBlas();
  if (blas.reason !== undefined) skip(blas.reason);
  const gyp = findNodeGyp();
  if (gyp === undefined) skip('node-gyp not found (it ships with npm)');
  const args = [gyp, 'rebuild', `--directory=${nativeDir}`, ...(nodeDir() !== undefined ? [`--nodedir=${nodeDir()}`] : [])];
  const env = {
    ...process.env,
    PARZEN_BLAS_INCLUDE: blas.include,
    PARZEN_BLAS_DEFINE: blas.openblas ? 'PARZEN_OPENBLAS' : 'PARZEN_CBLAS',
    PARZEN_BLAS_LINK: `-L${blas.libDir} -l${blas.lib} -Wl,-rpath,${blas.libDir}`,
  };
  if (!quiet) say(`building against ${blas.include}/cblas.h and ${blas.libDir}/lib${blas.lib} ...`);
  const built = spawnSync(process.execPath, args, { env, encoding: 'utf8', cwd: nativeDir });
  if (built.status !== 0 || !existsSync(addon)) {
    mkdirSync(join(nativeDir, 'build'), { recursive: true });
    writeFileSync(join(nativeDir, 'build', 'build.log'), `${built.stdout ?? ''}\n${built.stderr ?? ''}\n${built.error ?? ''}`);
    skip(`node-gyp failed (exit ${built.status ?? built.error}); its output is in native/build/build.log`);
  }
  const smoke = smokeTest();
  if (smoke.status !== 0) {
    rmSync(addon, { force: true });
    skip(`the built addon failed its check and was removed: ${(smoke.stderr || smoke.stdout).trim().split('\n').slice(-1)[0]}`);
  }
  const info = JSON.parse(smoke.stdout.trim());
  writeFileSync(join(nativeDir, 'build', 'parzen-native.json'), `${JSON.stringify({ ...blas, info, builtAt: new Date().toISOString() }, null, 2)}\n`);
  say(`built ${addon} (${info.library}${info.config ? `: ${info.config}` : ''})`);
}

main();
