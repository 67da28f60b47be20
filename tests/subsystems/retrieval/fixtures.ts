import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import retrieval from '../../../src/subsystems/retrieval/index.js';
import { readDefaultUnits } from '../../../src/subsystems/retrieval/dataset/documents.js';
import { ensureRetrievalDataset } from '../../../src/subsystems/retrieval/dataset/prepare.js';

/** A folder holding the first `chapters` chapters of Moby Dick as the user's .txt documents. */
export function documentsDir(chapters = 12): string {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-retrieval-docs-'));
  readDefaultUnits().units.slice(3, 3 + chapters).forEach((u, i) => writeFileSync(join(dir, `ch${String(i).padStart(2, '0')}.txt`), u.text));
  return dir;
}

/** A datasets root holding a retrieval dataset built from a dozen Moby Dick chapters. */
export async function tinyDatasets(chapters = 12): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'parzen-retrieval-ds-'));
  await ensureRetrievalDataset(join(root, 'retrieval'), { documents: documentsDir(chapters), seed: 1 });
  return root;
}

/** Params over defaults.full that train a trial in seconds. */
export const TINY_PARAMS = { ...retrieval.defaults.full, isotropy_weight: 0.3, reg_weight: 1e-4, projection_learning_rate: 2e-3, base_learning_rate: 2e-3, embed_dim: 16, output_dim: 16, encoder_layers: 1, batch_size: 8, max_doc_len: 48, max_query_len: 24 } as const;
