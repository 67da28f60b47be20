/**
 * Compiles the step circuit for a shape with circom2 (Circom 2 in WebAssembly) in a child process, at first use,
 * into `<cache>/circuits/<hash>-<model>-d<d>-b<batch>-f<F>[-o1]/`: the hash covers every circuit source, the main
 * component, the optimisation level and the circomlib version, so a changed circuit compiles afresh. Groth16 pays
 * per R1CS constraint, so its circuits use `--O2`, which folds the linear constraints into the others; PLONK pays per
 * addition gate, and those folded linear combinations are long (about 14× the gates), so its circuits use `--O1`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { circuitSources, mainCircom, shapeLabel, type CircuitShape } from '../circuit/shapes.js';
import { ArtifactsNotFoundError, ProofGenerationError } from '../errors.js';
import { makeOnce, publishDir, scratchBeside } from './cache-dir.js';

/** `O2` for Groth16, `O1` for PLONK (see above). */
export type Optimisation = 'O1' | 'O2';

/** A compiled circuit: where its files are and its size. */
export interface CompiledCircuit {
  readonly dir: string;
  readonly r1cs: string;
  readonly wasm: string;
  readonly sym: string;
  readonly shape: CircuitShape;
  readonly optimisation: Optimisation;
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

export function circuitKey(shape: CircuitShape, optimisation: Optimisation = 'O2'): string {
  const circomlibVersion = (JSON.parse(readFileSync(require.resolve('circomlib/package.json'), 'utf8')) as { version: string }).version;
  const h = createHash('sha256');
  for (const [name, text] of Object.entries(circuitSources(shape))) h.update(name).update('\0').update(text).update('\0');
  const hash = h.update(mainCircom(shape)).update('\0').update(optimisation).update('\0').update(circomlibVersion).digest('hex').slice(0, 16);
  return `${hash}-${shapeLabel(shape)}${optimisation === 'O2' ? '' : `-${optimisation.toLowerCase()}`}`;
}

function runCompiler(dir: string, optimisation: Optimisation): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [circom2Cli(), 'main.circom', '--r1cs', '--wasm', '--sym', `--${optimisation}`, '-o', '.'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
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

export function readCompiled(dir: string, shape: CircuitShape, optimisation: Optimisation): CompiledCircuit {
  const files = ['info.json', 'main.r1cs', join('main_js', 'main.wasm')].map((f) => join(dir, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new ArtifactsNotFoundError(`the compiled ${shapeLabel(shape)} circuit`, missing, `delete ${dir} so it is compiled again`);
  const info = JSON.parse(readFileSync(files[0], 'utf8')) as { nConstraints: number; nPublic: number };
  return { dir, r1cs: files[1], wasm: files[2], sym: join(dir, 'main.sym'), shape, optimisation, ...info };
}

/** The compiled circuit for `shape` under `cacheDir`, compiling it first if it is not there. */
export async function ensureCircuit(cacheDir: string, shape: CircuitShape, log: (m: string) => void, optimisation: Optimisation = 'O2'): Promise<CompiledCircuit> {
  const dir = join(cacheDir, 'circuits', circuitKey(shape, optimisation));
  const done = (): boolean => existsSync(join(dir, 'info.json'));
  await makeOnce(`${dir}.lock`, done, async () => {
    log(`zk: compiling the ${shapeLabel(shape)} step circuit (--${optimisation}) with circom2`);
    const lib = circomlibDir();
    const scratch = scratchBeside(dir);
    for (const f of CIRCOMLIB_FILES) copyFileSync(join(lib, f), join(scratch, f));
    for (const [name, text] of Object.entries(circuitSources(shape))) writeFileSync(join(scratch, name), text);
    writeFileSync(join(scratch, 'main.circom'), mainCircom(shape));
    const { stdout } = await runCompiler(scratch, optimisation);
    const nConstraints = count(stdout, 'non-linear constraints') + count(stdout, 'linear constraints');
    for (const f of CIRCOMLIB_FILES) rmSync(join(scratch, f));
    writeFileSync(join(scratch, 'info.json'), JSON.stringify({ nConstraints, nPublic: count(stdout, 'public inputs') }));
    publishDir(scratch, dir);
  });
  return readCompiled(dir, shape, optimisation);
}
