import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Variable } from '@tensorflow/tfjs';
import { TrainingError } from '../errors.js';
import type { Tf } from './backend.js';

export const CHECKPOINT_FORMAT = 'parzen-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** Which of a run's checkpoints: the best validation loss so far, or the latest epoch. */
export type CheckpointTag = 'best' | 'last';

/** `<tag>.json`: what `<tag>.bin` holds, in order, as little-endian float32. */
export interface CheckpointManifest {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  readonly tag: CheckpointTag;
  readonly epoch: number;
  readonly valLoss: number | null;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[]; readonly offset: number; readonly size: number }>;
  readonly byteLength: number;
  /** sha256 of the .bin file, so a manifest never pairs with a binary from another write. */
  readonly sha256: string;
  readonly savedAt: string;
}

/**
 * Write `<dir>/<tag>.bin` and `<dir>/<tag>.json` atomically: each goes to a temp file first and is renamed into
 * place (rename is atomic on POSIX), the binary before the manifest that points at it by checksum.
 * @example
 * await saveCheckpoint(tf, { dir: 'studies/run-3', tag: 'best', variables: model.variables, epoch: 4, valLoss: 0.12 });
 */
export async function saveCheckpoint(
  tf: Tf,
  o: { dir: string; tag: CheckpointTag; variables: readonly Variable[]; epoch: number; valLoss: number | null },
): Promise<CheckpointManifest> {
  const entries: Array<{ name: string; shape: number[]; offset: number; size: number }> = [];
  let size = 0;
  for (const v of o.variables) {
    entries.push({ name: v.name, shape: [...v.shape], offset: size, size: v.size });
    size += v.size;
  }
  const values = new Float32Array(size);
  for (let i = 0; i < o.variables.length; i++) values.set(await readFloat32(tf, o.variables[i]), entries[i].offset);
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    tag: o.tag,
    epoch: o.epoch,
    valLoss: o.valLoss,
    variables: entries,
    byteLength: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    savedAt: new Date().toISOString(),
  };
  await mkdir(o.dir, { recursive: true });
  await writeAtomic(join(o.dir, `${o.tag}.bin`), bytes);
  await writeAtomic(join(o.dir, `${o.tag}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Restore `<dir>/<tag>` into `variables` (matched by position). Throws TrainingError (code SHAPE) naming the
 * variable when the count or a shape differs, and (code NUMERIC) when the binary does not match its manifest.
 * @example
 * const m = await loadCheckpoint(tf, { dir: 'studies/run-3', tag: 'best', variables: model.variables });
 */
export async function loadCheckpoint(tf: Tf, o: { dir: string; tag: CheckpointTag; variables: readonly Variable[] }): Promise<CheckpointManifest> {
  const manifestPath = join(o.dir, `${o.tag}.json`);
  const manifest = parseManifest(await readFile(manifestPath, 'utf8'), manifestPath);
  const bytes = await readFile(join(o.dir, `${o.tag}.bin`));
  if (bytes.byteLength !== manifest.byteLength || createHash('sha256').update(bytes).digest('hex') !== manifest.sha256) {
    throw new TrainingError(`checkpoint ${manifestPath}: ${o.tag}.bin does not match its manifest (size or sha256); the checkpoint is corrupt or half-written`);
  }
  checkCompatible(manifest, o.variables, manifestPath);
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  o.variables.forEach((v, i) => {
    const e = manifest.variables[i];
    tf.tidy(() => v.assign(tf.tensor(values.subarray(e.offset, e.offset + e.size), [...e.shape], v.dtype)));
  });
  return manifest;
}

function checkCompatible(m: CheckpointManifest, variables: readonly Variable[], path: string): void {
  if (m.variables.length !== variables.length) {
    throw new TrainingError(
      `checkpoint ${path}: holds ${m.variables.length} variables but the model has ${variables.length}; it was saved from a different architecture (check hidden_dim/num_layers)`,
      { code: 'SHAPE' },
    );
  }
  variables.forEach((v, i) => {
    const saved = m.variables[i].shape;
    if (saved.length !== v.shape.length || saved.some((d, j) => d !== v.shape[j])) {
      throw new TrainingError(
        `checkpoint ${path}: variable #${i} (${m.variables[i].name}) has shape [${saved.join(', ')}] but the model's (${v.name}) is [${v.shape.join(', ')}]; load it into a model built with the same hyperparameters`,
        { code: 'SHAPE' },
      );
    }
  });
}

function parseManifest(text: string, path: string): CheckpointManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new TrainingError(`checkpoint ${path}: manifest is not valid JSON`, { cause: e });
  }
  const m = raw as Partial<CheckpointManifest> | null;
  if (m === null || m.format !== CHECKPOINT_FORMAT || m.version !== CHECKPOINT_VERSION || !Array.isArray(m.variables)) {
    throw new TrainingError(`checkpoint ${path}: not a ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION} manifest`);
  }
  return m as CheckpointManifest;
}

async function readFloat32(tf: Tf, v: Variable): Promise<Float32Array> {
  if (v.dtype === 'float32') return (await v.data()) as Float32Array;
  const cast = tf.cast(v, 'float32');
  try {
    return (await cast.data()) as Float32Array;
  } finally {
    cast.dispose();
  }
}

async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}-${threadId}-${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
