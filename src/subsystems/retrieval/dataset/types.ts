import type { ManifestBase } from '../../../data/manifest.js';
import type { SplitName } from '../../../data/splits.js';

/** One searchable document of the corpus. */
export interface Passage {
  readonly id: string;
  readonly title: string | null;
  readonly text: string;
}

/**
 * One query of a split: what training reads (query, positive and hard-negative texts) and what evaluation reads
 * (the ids of the corpus documents relevant to it).
 */
export interface QueryRecord {
  readonly qid: string;
  readonly query: string;
  readonly positive: string;
  /** A BM25-mined hard negative (or the one a `--pairs` line gave); null when the corpus had none to give. */
  readonly negative: string | null;
  readonly relevant: readonly string[];
}

/** A dataset before negatives are mined: what each source (default, documents, BEIR, pairs) produces. */
export interface RawDataset {
  readonly corpus: readonly Passage[];
  readonly splits: Readonly<Record<SplitName, ReadonlyArray<Omit<QueryRecord, 'negative'> & { readonly negative?: string | null }>>>;
  readonly source: string;
  readonly licence: string;
  /** How queries were made: titles of the passages, inverse cloze sentences, BEIR's queries, given pairs. */
  readonly queryKinds: Readonly<Record<string, number>>;
}

export interface RetrievalManifest extends ManifestBase {
  readonly kind: 'default' | 'documents' | 'beir' | 'pairs';
  readonly counts: { readonly corpus: number; readonly train: number; readonly val: number; readonly test: number };
  readonly queryKinds: Readonly<Record<string, number>>;
  /** BM25 parameters the hard negatives were mined with. */
  readonly mining: { readonly k1: number; readonly b: number; readonly depth: number };
  readonly vocabSize: number;
}

export const FORMAT_VERSION = 1;
