import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import { writeTextAtomically } from './atomic-write.js';

/** What every dataset's `manifest.json` records, whatever the subsystem adds to it. */
export interface ManifestBase {
  readonly formatVersion: number;
  readonly seed: number;
  readonly parzenVersion: string;
  readonly createdAt: string;
  /** Where the data came from (a generator, an npm package, the user's folder). */
  readonly source?: string;
  /** The licence the data is under, when it is not generated. */
  readonly licence?: string;
}

export const MANIFEST_FILE = 'manifest.json';

/** Writes `<dir>/manifest.json` atomically. */
export async function writeManifest(dir: string, manifest: ManifestBase): Promise<void> {
  await writeTextAtomically(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads `<dir>/manifest.json`; undefined when there is none, DatasetError when it is not JSON. */
export function readManifest<M extends ManifestBase>(dir: string): M | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as M;
  } catch (cause) {
    throw new DatasetError(`${path}: not valid JSON (${(cause as Error).message}); delete the folder to regenerate it`, { cause });
  }
}
