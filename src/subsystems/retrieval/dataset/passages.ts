/**
 * Documents → passages → queries: titled passages give title → body queries, the rest inverse-cloze queries (Lee,
 * Chang & Toutanova 2019, "Latent Retrieval for Weakly Supervised Open Domain QA", §4: a sentence is the query and
 * the rest of its passage, with the sentence removed, the positive). Split by seed at the passage level: each val/test
 * passage gives one held-out query whose sentence is removed from the corpus and from every training text; its other
 * sentences may still be training queries (self-supervised training over the collection, `corpusTraining`).
 */
import type { SplitName } from '../../../data/splits.js';
import { Rng } from '../../../util/rng.js';
import { paragraphs, sentences, words } from './text.js';
import type { Passage, RawDataset } from './types.js';

/** A piece of a user's document before chunking: its title (a heading, a JSONL `title`) and body. */
export interface TextUnit {
  readonly title: string | null;
  readonly text: string;
  /** `file` or `file:line`, for ids. */
  readonly origin: string;
}

export interface PassageOptions {
  readonly seed: number;
  /** Passages hold whole sentences up to about this many words. */
  readonly maxWords?: number;
  /** Fractions of the query passages that go to val and test (the rest train). */
  readonly valFraction?: number;
  readonly testFraction?: number;
  /** Extra inverse-cloze training queries per passage (each another of its sentences). */
  readonly extraTrainQueries?: number;
  /**
   * Self-supervised training over the whole corpus (default true): the extra queries come from every passage,
   * val and test passages included, as in ICT pre-training on the collection to be searched. A val/test passage's
   * held-out sentence is removed from the corpus and from every training text, so no evaluation query is ever
   * trained on. false: extra queries from training passages only.
   */
  readonly corpusTraining?: boolean;
  /** At most this many val (and test) queries. */
  readonly maxEvalQueries?: number;
}

interface Chunk {
  readonly id: string;
  readonly title: string | null;
  readonly sentences: readonly string[];
}

const MIN_QUERY_WORDS = 5;

/** Whole sentences, in order, grouped until about `maxWords` words. */
function chunkUnit(u: TextUnit, maxWords: number, idBase: string): Chunk[] {
  const out: Chunk[] = [];
  let cur: string[] = [];
  let n = 0;
  const flush = (): void => {
    if (cur.length > 0) out.push({ id: `${idBase}#${out.length}`, title: u.title, sentences: cur });
    cur = [];
    n = 0;
  };
  for (const para of paragraphs(u.text)) {
    for (const s of sentences(para)) {
      const w = words(s).length;
      if (w === 0) continue;
      if (n > 0 && n + w > maxWords) flush();
      cur.push(s);
      n += w;
    }
  }
  flush();
  return out;
}

/** Index of the sentence a passage is queried by (the longest-enough one the seed picks), or -1. */
function pickSentence(rng: Rng, ss: readonly string[]): number {
  const ok = ss.map((s, i) => (words(s).length >= MIN_QUERY_WORDS ? i : -1)).filter((i) => i >= 0);
  return ok.length === 0 ? -1 : ok[rng.int(ok.length)];
}

function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

type RawQuery = RawDataset['splits']['train'][number];

interface Candidate {
  readonly passage: Passage;
  readonly chunk: Chunk;
  /** The sentence removed from the corpus text and asked as the held-out query; -1 for a titled passage. */
  readonly held: number;
}

/**
 * Passages and their queries, split by seed. Titled chunks: query = the title, positive = the body; the title of a
 * unit cut into several chunks names only its first. Untitled chunks of ≥ 3 sentences: one held-out sentence is
 * removed from the corpus text for good (so evaluating it is never an exact match), and it is the val/test query.
 * @example buildPassageDataset(units, { seed: 42 })
 */
export function buildPassageDataset(units: readonly TextUnit[], o: PassageOptions): Omit<RawDataset, 'source' | 'licence'> {
  const rng = new Rng(o.seed, 0x7e7);
  const maxWords = o.maxWords ?? 120;
  const chunks = units.flatMap((u, i) => chunkUnit(u, maxWords, u.origin || `doc${i}`).map((c, j) => (j > 0 ? { ...c, title: null } : c)));
  const corpus: Passage[] = [];
  const candidates: Candidate[] = [];
  for (const c of chunks) {
    if (c.title !== null) {
      const passage = { id: c.id, title: c.title, text: c.sentences.join(' ') };
      corpus.push(passage);
      if (words(c.title).length > 0) candidates.push({ passage, chunk: c, held: -1 });
      continue;
    }
    const held = c.sentences.length >= 3 ? pickSentence(rng, c.sentences) : -1;
    const text = c.sentences.filter((_, i) => i !== held).join(' ');
    const passage = { id: c.id, title: null, text };
    corpus.push(passage);
    if (held >= 0) candidates.push({ passage, chunk: c, held });
  }
  const order = shuffled(candidates, rng);
  const maxEval = o.maxEvalQueries ?? 500;
  const nVal = Math.min(maxEval, Math.max(1, Math.round(order.length * (o.valFraction ?? 0.2))));
  const nTest = Math.min(maxEval, Math.max(1, Math.round(order.length * (o.testFraction ?? 0.2))));
  const parts: Record<SplitName, typeof order> = { val: order.slice(0, nVal), test: order.slice(nVal, nVal + nTest), train: order.slice(nVal + nTest) };
  const kinds: Record<string, number> = { title: 0, inverse_cloze: 0 };
  const extra = o.extraTrainQueries ?? 4;
  const selfSupervised = o.corpusTraining ?? true;
  const extraQueries = ({ passage, chunk, held }: Candidate): RawQuery[] => {
    const others = shuffled(chunk.sentences.map((_, i) => i).filter((i) => i !== held && words(chunk.sentences[i]).length >= MIN_QUERY_WORDS), rng);
    return others.slice(0, extra).map((i) => ({
      relevant: [passage.id], qid: `${passage.id}?s${i}`, query: chunk.sentences[i],
      // The held-out sentence is never part of a training text: it is not in the corpus either.
      positive: chunk.sentences.filter((_, j) => j !== i && j !== held).join(' '),
    }));
  };
  const heldQuery = (c: Candidate): RawQuery => {
    if (c.held < 0) {
      kinds['title'] += 1;
      return { relevant: [c.passage.id], qid: `${c.passage.id}?title`, query: c.passage.title ?? '', positive: c.passage.text };
    }
    kinds['inverse_cloze'] += 1;
    return { relevant: [c.passage.id], qid: `${c.passage.id}?s${c.held}`, query: c.chunk.sentences[c.held], positive: c.passage.text };
  };
  const trained = selfSupervised ? order : parts.train;
  const extraTrain = trained.filter((c) => c.held >= 0).flatMap(extraQueries);
  kinds['inverse_cloze'] += extraTrain.length;
  const splits = { train: [...parts.train.map(heldQuery), ...extraTrain], val: parts.val.map(heldQuery), test: parts.test.map(heldQuery) };
  return { corpus, splits, queryKinds: kinds };
}
