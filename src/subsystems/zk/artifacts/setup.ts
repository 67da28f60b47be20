/**
 * The trusted setup of a compiled circuit: a powers of tau file of the smallest power that fits (a supplied one —
 * `tune datasets prepare zk --ptau FILE` — before a locally generated one), and the circuit's proving and
 * verification keys, cached beside the circuit per ptau file: Groth16 with one local phase-2 contribution (a
 * circuit-specific setup), or PLONK (universal: the keys follow from the ptau alone).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../../errors.js';
import { ArtifactsNotFoundError } from '../errors.js';
import { generatePtau, LOCAL_PTAU_MIN_POWER, ptauPowerFor } from '../snark/ptau.js';
import { loadSnarkjs, releaseSnarkjs, SILENT_LOGGER as SILENT, type VerificationKey } from '../snark/snarkjs.js';
import { makeOnce, publishDir, scratchBeside } from './cache-dir.js';
import type { CircuitShape } from '../circuit/shapes.js';
import { ProofGenerationError } from '../errors.js';
import { ensureCircuit, type CompiledCircuit } from './compile.js';

export type PtauKind = 'supplied' | 'local';

export interface PtauFile {
  readonly path: string;
  readonly power: number;
  readonly kind: PtauKind;
}

/** Groth16 (the default: 256-byte proofs, a circuit-specific setup) or PLONK (the alternative: a universal setup). */
export type ProofSystem = 'groth16' | 'plonk';

/** A circuit ready to prove: its files and keys. */
export interface CircuitKeys {
  readonly system: ProofSystem;
  readonly circuit: CompiledCircuit;
  readonly zkey: string;
  readonly vkey: VerificationKey;
  readonly vkeyPath: string;
  readonly ptau: PtauFile;
}

/** The power of a .ptau file, from its header (binfile "ptau", section 1: n8, q, power). */
export function readPtauPower(path: string, field = '--ptau'): number {
  if (!existsSync(path)) throw new ArtifactsNotFoundError('powers of tau file', [path], `check the path given to ${field}`);
  const buf = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, 64, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1', 0, 4) !== 'ptau') throw new ConfigError(`${field} ${path}: not a powers of tau file (it does not start with 'ptau'); give a .ptau file such as the Hermez ceremony's powersOfTau28_hez_final_13.ptau`, { code: 'USAGE' });
  // magic(4) version(4) nSections(4), then section 1: type(4) size(8) n8(4) q(n8) power(4)
  const n8 = buf.readUInt32LE(24);
  return buf.readUInt32LE(28 + n8);
}

const PTAU_NAME = /^(supplied|local)-pow(\d+)\.ptau$/;

export function listPtau(cacheDir: string): PtauFile[] {
  const dir = join(cacheDir, 'ptau');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const m = PTAU_NAME.exec(f);
    return m === null ? [] : [{ path: join(dir, f), power: Number(m[2]), kind: m[1] as PtauKind }];
  });
}

/** Copies a user's ptau (a public ceremony's) into the cache, where it is preferred over local ones. */
export function registerPtau(cacheDir: string, file: string, field = '--ptau'): PtauFile {
  const power = readPtauPower(file, field);
  const path = join(cacheDir, 'ptau', `supplied-pow${power}.ptau`);
  // Registered again on every `tune` run: a file already there unchanged is not copied again (ceremony files are large).
  if (existsSync(path) && statSync(path).size === statSync(file).size && fileId(path) === fileId(file)) return { path, power, kind: 'supplied' };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  copyFileSync(file, tmp);
  renameSync(tmp, path);
  return { path, power, kind: 'supplied' };
}

/** The best ptau for `power`: the smallest supplied one that fits, else the smallest local one, else a new local one. */
export async function ensurePtau(cacheDir: string, power: number, log: (m: string) => void): Promise<PtauFile> {
  const pick = (): PtauFile | undefined =>
    listPtau(cacheDir)
      .filter((f) => f.power >= power)
      .sort((a, b) => (a.kind === b.kind ? a.power - b.power : a.kind === 'supplied' ? -1 : 1))[0];
  const made = Math.max(power, LOCAL_PTAU_MIN_POWER);
  const path = join(cacheDir, 'ptau', `local-pow${made}.ptau`);
  // One lock for every power: a trial waiting for 2^12 while another makes 2^13 takes the 2^13 when it is done.
  await makeOnce(join(cacheDir, 'ptau', 'generate.lock'), () => pick() !== undefined, async () => {
    log(`zk: generating powers of tau 2^${made} on this machine, once (minutes; cached in ${join(cacheDir, 'ptau')})`);
    await generatePtau(path, made, log);
  });
  const found = pick();
  if (found === undefined) throw new ArtifactsNotFoundError(`powers of tau 2^${power}`, [join(cacheDir, 'ptau')], 'pass --ptau FILE to `tune datasets prepare zk`');
  return found;
}

function fileId(path: string): string {
  const size = statSync(path).size;
  const h = createHash('sha256').update(String(size));
  const fd = openSync(path, 'r');
  try {
    for (const at of [0, Math.max(0, size - 65536)]) {
      const buf = Buffer.alloc(Math.min(65536, size));
      readSync(fd, buf, 0, buf.length, at);
      h.update(buf);
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex').slice(0, 12);
}

/** Groth16 keys of `circuit` (made once per ptau file). */
export async function ensureGroth16Keys(cacheDir: string, circuit: CompiledCircuit, log: (m: string) => void): Promise<CircuitKeys> {
  const ptau = await ensurePtau(cacheDir, ptauPowerFor(circuit.nConstraints, circuit.nPublic), log);
  const dir = join(circuit.dir, `groth16-${fileId(ptau.path)}`);
  await makeOnce(`${dir}.lock`, () => existsSync(join(dir, 'vkey.json')), async () => {
    log(`zk: Groth16 setup of the ${circuit.nConstraints}-constraint circuit with ${ptau.kind} powers of tau 2^${ptau.power}`);
    const snarkjs = await loadSnarkjs();
    const scratch = scratchBeside(dir);
    await snarkjs.zKey.newZKey(circuit.r1cs, ptau.path, join(scratch, 'init.zkey'));
    await snarkjs.zKey.contribute(join(scratch, 'init.zkey'), join(scratch, 'circuit.zkey'), 'parzen local', randomBytes(32).toString('hex'));
    const vkey = await snarkjs.zKey.exportVerificationKey(join(scratch, 'circuit.zkey'));
    rmSync(join(scratch, 'init.zkey'));
    writeFileSync(join(scratch, 'setup.json'), JSON.stringify({ ptau: ptau.path, ptauKind: ptau.kind, power: ptau.power }));
    writeFileSync(join(scratch, 'vkey.json'), JSON.stringify(vkey));
    publishDir(scratch, dir);
    // The setup's curve threads go now; proving starts its own (a leftover one can keep the process alive).
    await releaseSnarkjs();
  });
  return readKeys('groth16', circuit, dir, ptau);
}

function readKeys(system: ProofSystem, circuit: CompiledCircuit, dir: string, ptau: PtauFile): CircuitKeys {
  const vkeyPath = join(dir, 'vkey.json');
  const zkey = join(dir, 'circuit.zkey');
  const missing = [vkeyPath, zkey].filter((f) => !existsSync(f));
  if (missing.length > 0) throw new ArtifactsNotFoundError(`the ${system} keys of ${circuit.dir}`, missing, `delete ${dir} so the setup runs again`);
  return { system, circuit, zkey, vkey: JSON.parse(readFileSync(vkeyPath, 'utf8')) as VerificationKey, vkeyPath, ptau };
}

/** The ptau to try a PLONK setup with: the best that fits `power`, else the largest there is, else a new one of `power`. */
async function plonkPtau(cacheDir: string, power: number, log: (m: string) => void): Promise<PtauFile> {
  const all = listPtau(cacheDir);
  const fits = all.filter((f) => f.power >= power).sort((a, b) => (a.kind === b.kind ? a.power - b.power : a.kind === 'supplied' ? -1 : 1))[0];
  const largest = [...all].sort((a, b) => b.power - a.power)[0];
  return fits ?? largest ?? ensurePtau(cacheDir, power, log);
}

/**
 * PLONK keys of `circuit` (an `--O1` compile). Its gate count is known only once snarkjs has processed the circuit,
 * so the setup is tried with the ptau at hand and, when snarkjs reports the circuit too big for it, once more with a
 * ptau of the power it needs.
 */
export async function ensurePlonkKeys(cacheDir: string, circuit: CompiledCircuit, log: (m: string) => void, o: { generatePtau?: boolean } = {}): Promise<CircuitKeys> {
  let ptau = await plonkPtau(cacheDir, ptauPowerFor(Math.ceil(circuit.nConstraints * 1.7), circuit.nPublic), log);
  for (let attempt = 0; ; attempt++) {
    const dir = join(circuit.dir, `plonk-${fileId(ptau.path)}`);
    const st: { gates: number | null; failure: string | null } = { gates: null, failure: null };
    await makeOnce(`${dir}.lock`, () => existsSync(join(dir, 'vkey.json')), async () => {
      log(`zk: PLONK setup of ${circuit.dir} with ${ptau.kind} powers of tau 2^${ptau.power}`);
      const snarkjs = await loadSnarkjs();
      const scratch = scratchBeside(dir);
      const logger = {
        ...SILENT,
        info: (m: string): void => {
          const g = /^Plonk constraints: (\d+)/.exec(m);
          if (g !== null) st.gates = Number(g[1]);
        },
        error: (m: string): void => void (st.failure = m),
      };
      const r = await snarkjs.plonk.setup(circuit.r1cs, ptau.path, join(scratch, 'circuit.zkey'), logger);
      if (r === -1 || st.failure !== null) {
        rmSync(scratch, { recursive: true, force: true });
        st.failure ??= 'snarkjs plonk setup failed';
        return;
      }
      writeFileSync(join(scratch, 'vkey.json'), JSON.stringify(await snarkjs.zKey.exportVerificationKey(join(scratch, 'circuit.zkey'))));
      writeFileSync(join(scratch, 'setup.json'), JSON.stringify({ ptau: ptau.path, ptauKind: ptau.kind, power: ptau.power, gates: st.gates }));
      publishDir(scratch, dir);
      await releaseSnarkjs();
    });
    if (st.failure === null) return readKeys('plonk', circuit, dir, ptau);
    const needed = st.gates !== null ? ptauPowerFor(st.gates, 0) : null;
    if (attempt > 0 || needed === null || needed <= ptau.power) {
      throw new ProofGenerationError(`PLONK setup of ${circuit.r1cs} with powers of tau 2^${ptau.power} failed: ${st.failure}`, { retryable: false });
    }
    if (o.generatePtau === false) {
      throw new ArtifactsNotFoundError(`powers of tau 2^${needed} for the ${st.gates}-gate PLONK circuit ${circuit.dir}`, [join(cacheDir, 'ptau')], 'add one with `tune datasets prepare zk --ptau FILE`');
    }
    ptau = await ensurePtau(cacheDir, needed, log);
  }
}

/** The compiled circuit of `shape` and its keys for `system`, made at first use. */
export async function ensureKeys(cacheDir: string, shape: CircuitShape, system: ProofSystem, log: (m: string) => void): Promise<CircuitKeys> {
  if (system === 'plonk') return ensurePlonkKeys(cacheDir, await ensureCircuit(cacheDir, shape, log, 'O1'), log);
  return ensureGroth16Keys(cacheDir, await ensureCircuit(cacheDir, shape, log, 'O2'), log);
}
