/**
 * The part of snarkjs (untyped JavaScript) this subsystem calls, typed, and loaded only when a proof is made or
 * checked. snarkjs starts a bn128 curve with worker threads that keep the process alive; `releaseSnarkjs` ends them.
 */
export type Logger = { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };

/** A Groth16 or PLONK proof as snarkjs writes it (JSON with decimal strings). */
export type SnarkProof = Readonly<Record<string, unknown>>;
/** A verification key as snarkjs exports it. */
export type VerificationKey = Readonly<Record<string, unknown>>;
/** An in-memory file for snarkjs (fastfile's `mem` type). */
export interface MemFile {
  type: 'mem';
  data?: Uint8Array;
}
export type FileRef = string | MemFile;

export interface SnarkJs {
  readonly powersOfTau: {
    newAccumulator(curve: unknown, power: number, file: string, logger?: Logger): Promise<unknown>;
    contribute(oldFile: string, newFile: string, name: string, entropy: string, logger?: Logger): Promise<unknown>;
    preparePhase2(oldFile: string, newFile: string, logger?: Logger): Promise<unknown>;
  };
  readonly zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<unknown>;
    contribute(oldFile: string, newFile: string, name: string, entropy: string, logger?: Logger): Promise<unknown>;
    exportVerificationKey(zkey: string): Promise<VerificationKey>;
  };
  readonly wtns: {
    calculate(input: Readonly<Record<string, unknown>>, wasm: string, out: FileRef): Promise<void>;
    check(r1cs: string, wtns: FileRef, logger?: Logger): Promise<boolean>;
    exportJson(wtns: FileRef): Promise<bigint[]>;
  };
  readonly groth16: {
    prove(zkey: string, wtns: FileRef): Promise<{ proof: SnarkProof; publicSignals: string[] }>;
    verify(vk: VerificationKey, publicSignals: readonly string[], proof: SnarkProof): Promise<boolean>;
  };
  readonly plonk: {
    setup(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<unknown>;
    prove(zkey: string, wtns: FileRef): Promise<{ proof: SnarkProof; publicSignals: string[] }>;
    verify(vk: VerificationKey, publicSignals: readonly string[], proof: SnarkProof): Promise<boolean>;
  };
  readonly curves: { getCurveFromName(name: string): Promise<{ terminate(): Promise<void> }> };
}

let loading: Promise<SnarkJs> | undefined;

/** snarkjs, imported on first use. */
export function loadSnarkjs(): Promise<SnarkJs> {
  // A specifier held in a variable: snarkjs ships no type declarations, and this module types what is used.
  const specifier = 'snarkjs';
  loading ??= import(specifier).then((m: unknown) => m as SnarkJs);
  return loading;
}

/**
 * Ends snarkjs's curve worker threads so the process can exit. Safe to call when snarkjs was never loaded; the
 * next proof rebuilds the curve.
 */
export async function releaseSnarkjs(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  const curve = g.curve_bn128;
  if (curve !== undefined && curve !== null) {
    g.curve_bn128 = null;
    await curve.terminate();
  }
}

/** A logger that drops everything, for snarkjs calls that log unconditionally (wtns.check). */
export const SILENT_LOGGER: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
