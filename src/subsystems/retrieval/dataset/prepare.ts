/**
 * `tune datasets prepare retrieval [--documents DIR | --beir DIR | --pairs FILE]`: build only when missing, invalid
 * or built from another source than the one asked for. The user's files are read and checked (file, line, field)
 * before anything is written, so bad input leaves the old dataset in place and fails before any training.
 */
import { resolve } from 'node:path';
import { ensureDataset, type EnsureResult } from '../../../data/ensure.js';
import { readManifest } from '../../../data/manifest.js';
import { ConfigError } from '../../../errors.js';
import { readBeir } from './beir.js';
import { writeRetrievalDataset } from './build.js';
import { readDefaultUnits, readDocumentUnits } from './documents.js';
import { readRetrievalDataset } from './files.js';
import { readPairs } from './pairs.js';
import { buildPassageDataset } from './passages.js';
import type { RawDataset, RetrievalManifest } from './types.js';

export interface PrepareRetrievalOptions {
  readonly seed: number;
  readonly documents?: string;
  readonly beir?: string;
  readonly pairs?: string;
}

type Source = { kind: RetrievalManifest['kind']; path: string | null };

function sourceOf(o: PrepareRetrievalOptions): Source | null {
  const given = (['documents', 'beir', 'pairs'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new ConfigError(`--${given.join(', --')}: give one data source, not ${given.length}`, { code: 'USAGE' });
  if (given.length === 0) return null;
  return { kind: given[0], path: resolve(o[given[0]] as string) };
}

function sourceName(s: Source): string {
  return s.kind === 'beir' ? `beir:${s.path}` : `file:${s.path}`;
}

function readRaw(s: Source, seed: number): RawDataset {
  if (s.kind === 'beir') return readBeir(s.path ?? '', seed);
  if (s.kind === 'pairs') return readPairs(s.path ?? '', seed);
  const d = s.kind === 'documents' ? { ...readDocumentUnits(s.path ?? ''), licence: 'user-supplied (see the source files)' } : readDefaultUnits();
  return { ...buildPassageDataset(d.units, { seed }), source: d.source, licence: d.licence };
}

/**
 * @example await ensureRetrievalDataset('datasets/retrieval', { seed: 42, beir: 'beir/scifact' })
 */
export async function ensureRetrievalDataset(dir: string, o: PrepareRetrievalOptions): Promise<EnsureResult<RetrievalManifest>> {
  const wanted = sourceOf(o);
  return ensureDataset({
    findProblem: async () => {
      if (wanted !== null) {
        const m = readManifest<RetrievalManifest>(dir);
        if (m?.source !== sourceName(wanted)) return `the dataset was built from ${m?.source ?? 'nothing'}, --${wanted.kind} asks for ${sourceName(wanted)}`;
      }
      readRetrievalDataset(dir);
      return null;
    },
    generate: async () => {
      const s = wanted ?? { kind: 'default' as const, path: null };
      return writeRetrievalDataset(dir, readRaw(s, o.seed), { seed: o.seed, kind: s.kind });
    },
  });
}
