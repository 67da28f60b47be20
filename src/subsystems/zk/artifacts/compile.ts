/**
 * Compiles the step circuit for a shape with circom2 (Circom 2 in WebAssembly) in a child process, at first use,
 * into `<cache>/circuits/<hash>-d<d>-b<batch>-f<F>/`: the hash covers the circuit source, the main component and
 * the circomlib version, so a changed circuit compiles afresh. `--O2` folds the linear constraints away (Groth16
 * pays per constraint; PLONK would prefer `--O1`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mainCircom, SGD_LINEAR_CIRCOM, type CircuitShape } from '../circuit/sgd-linear-circom.js';
import { ArtifactsNotFoundError, ProofGenerationError } from '../errors.js';
import { makeOnce, publishDir, scratchBeside } from './cache-dir.js';

/** A compiled circuit: where its files are and its size. */
export interface CompiledCircuit {
  readonly dir: string;
  readonly r1cs: string;
  readonly wasm: string;
  readonly sym: string;
  readonly shape: CircuitShape;
  readonly nConstraints: number;
  readonly nPublic: number;
}

/** The circomlib templates the circuit includes (and theirs). */
const CIRCOMLIB_FILES = ['poseidon.circom', 'poseidon_constants.circom', 'bitify.circom', 'comparators.circom', 'aliascheck.circom', 'compconstant.circom', 'binsum.circom'];

const require = createRequire(import.meta.url);
/** circom2 colours its output. */
const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

function circomlibDir(): string {
  const searched: string[] = [];
  try {
    const dir = join(dirname(require.resolve('circomlib/package.json')), 'circuits');
    searched.push(dir);
    if (existsSync(join(dir, 'poseidon.circom'))) return dir;
  } catch {
    searched.push('circomlib (node module resolution from this package)');
  }
  throw new ArtifactsNotFoundError('circomlib circuits', searched, 'install the circomlib package (npm install)');
}

function circom2Cli(): string {
  try {
    return require.resolve('circom2/cli.js');
  } catch {
    throw new ArtifactsNotFoundError('the circom2 compiler', ['circom2/cli.js (node module resolution from this package)'], 'install the circom2 package (npm install)');
  }
}

export function circuitKey(shape: CircuitShape): string {
  const circomlibVersion = (JSON.parse(readFileSync(require.resolve('circomlib/package.json'), 'utf8')) as { version: string }).version;
  const hash = createHash('sha256').update(SGD_LINEAR_CIRCOM).update('\0').update(mainCircom(shape)).update('\0').update(circomlibVersion).digest('hex').slice(0, 16);
  return `${hash}-d${shape.d}-b${shape.batch}-f${shape.fracBits}`;
}

function runCompiler(dir: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [circom2Cli(), 'main.circom', '--r1cs', '--wasm', '--sym', '--O2', '-o', '.'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', (e) => reject(new ProofGenerationError(`circom2 could not start: ${e.message}`, { retryable: false, cause: e })));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ stdout });
      const plain = (stdout + stderr).replace(ANSI, '');
      reject(new ProofGenerationError(`circom2 failed to compile ${join(dir, 'main.circom')} (exit ${code ?? signal}): ${plain.trim().slice(-2000)}`, { exitCode: code, signal, stderr: plain, retryable: signal !== null }));
    });
  });
}

function count(stdout: string, label: string): number {
  const m = new RegExp(`^${label}: (\\d+)`, 'm').exec(stdout.replace(ANSI, ''));
  if (m === null) throw new ProofGenerationError(`circom2 output lacks '${label}'`, { retryable: false, stderr: stdout });
  return Number(m[1]);
}

function readCompiled(dir: string, shape: CircuitShape): CompiledCircuit {
  const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8')) as { nConstraints: number; nPublic: number };
  return { dir, r1cs: join(dir, 'main.r1cs'), wasm: join(dir, 'main_js', 'main.wasm'), sym: join(dir, 'main.sym'), shape, ...info };
}

/** The compiled circuit for `shape` under `cacheDir`, compiling it first if it is not there. */
export async function ensureCircuit(cacheDir: string, shape: CircuitShape, log: (m: string) => void): Promise<CompiledCircuit> {
  const dir = join(cacheDir, 'circuits', circuitKey(shape));
  const done = (): boolean => existsSync(join(dir, 'info.json'));
  await makeOnce(`${dir}.lock`, done, async () => {
    log(`zk: compiling the SGD step circuit (d=${shape.d}, batch ${shape.batch}, ${shape.fracBits} fractional bits) with circom2`);
    const lib = circomlibDir();
    const scratch = scratchBeside(dir);
    for (const f of CIRCOMLIB_FILES) copyFileSync(join(lib, f), join(scratch, f));
    writeFileSync(join(scratch, 'sgd_linear.circom'), SGD_LINEAR_CIRCOM);
    writeFileSync(join(scratch, 'main.circom'), mainCircom(shape));
    const { stdout } = await runCompiler(scratch);
    const nConstraints = count(stdout, 'non-linear constraints') + count(stdout, 'linear constraints');
    for (const f of CIRCOMLIB_FILES) rmSync(join(scratch, f));
    writeFileSync(join(scratch, 'info.json'), JSON.stringify({ nConstraints, nPublic: count(stdout, 'public inputs') }));
    publishDir(scratch, dir);
  });
  return readCompiled(dir, shape);
}
