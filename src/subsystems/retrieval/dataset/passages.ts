/**
 * Documents → passages → queries: titled passages give title → body queries, the rest inverse-cloze queries (Lee,
 * Chang & Toutanova 2019, "Latent Retrieval for Weakly Supervised Open Domain QA", §4: a sentence is the query and
 * the rest of its passage, with the sentence removed, the positive). Split by seed at the passage level, so no test
 * passage is ever a training positive.
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
  /** Extra inverse-cloze queries per training passage (each another of its sentences). */
  readonly extraTrainQueries?: number;
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
  const candidates: Array<{ passage: Passage; chunk: Chunk; held: number }> = [];
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
  const nVal = Math.min(maxEval, Math.max(1, Math.round(order.length * (o.valFraction ?? 0.15))));
  const nTest = Math.min(maxEval, Math.max(1, Math.round(order.length * (o.testFraction ?? 0.15))));
  const parts: Record<SplitName, typeof order> = { val: order.slice(0, nVal), test: order.slice(nVal, nVal + nTest), train: order.slice(nVal + nTest) };
  const kinds: Record<string, number> = { title: 0, inverse_cloze: 0 };
  const queriesOf = (split: SplitName): RawQuery[] =>
    parts[split].flatMap(({ passage, chunk, held }) => {
      const base = { relevant: [passage.id] };
      if (held < 0) {
        kinds['title'] += 1;
        return [{ ...base, qid: `${passage.id}?title`, query: passage.title ?? '', positive: passage.text }];
      }
      const out: RawQuery[] = [{ ...base, qid: `${passage.id}?s${held}`, query: chunk.sentences[held], positive: passage.text }];
      if (split === 'train') {
        const others = shuffled(chunk.sentences.map((_, i) => i).filter((i) => i !== held && words(chunk.sentences[i]).length >= MIN_QUERY_WORDS), rng);
        for (const i of others.slice(0, o.extraTrainQueries ?? 2)) {
          out.push({ ...base, qid: `${passage.id}?s${i}`, query: chunk.sentences[i], positive: chunk.sentences.filter((_, j) => j !== i).join(' ') });
        }
      }
      kinds['inverse_cloze'] += out.length;
      return out;
    });
  const splits = { train: queriesOf('train'), val: queriesOf('val'), test: queriesOf('test') };
  return { corpus, splits, queryKinds: kinds };
}
