/** `tune generate`: text from a finished cllm run (its config, its vocabulary and its best checkpoint). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FrozenRun } from '../../core/frozen.js';
import { ConfigError } from '../../errors.js';
import type { OpenedRun } from '../subsystem.js';
import { readCorpusDataset } from './dataset/files.js';
import { checkVocab, loadCodec, type Vocab } from './dataset/codec.js';
import { parseHyperparams } from './hyperparams.js';
import { generateTokens, type SampleOptions } from './sample.js';

/** The run's vocabulary: kept in its result; a run without one falls back to the dataset's. */
function runVocab(run: FrozenRun, datasetsDir: string): Vocab {
  const vocab = run.result?.['vocab'];
  if (vocab !== undefined && vocab !== null) return checkVocab(vocab, `run ${run.runId} result.vocab`);
  return readCorpusDataset(join(datasetsDir, 'cllm')).vocab;
}

export interface GeneratedText {
  readonly runId: number;
  readonly prompt: string;
  readonly text: string;
  readonly tokens: number;
}

/**
 * Loads the run's model from its `best` checkpoint and continues `prompt` by `o.tokens` characters.
 * @example await generateFromRun(opened, { prompt: 'Call me', tokens: 200, temperature: 0.8, topK: 40, seed: 1 })
 */
export async function generateFromRun(opened: OpenedRun, o: SampleOptions & { readonly prompt: string; readonly defaults: Readonly<Record<string, unknown>> }): Promise<GeneratedText> {
  const { run, checkpointDir } = opened;
  if (run.state !== 'COMPLETE' || !existsSync(join(checkpointDir, 'best.json'))) {
    throw new ConfigError(`--run ${run.runId}: the run is ${run.state} and has no best checkpoint in ${checkpointDir}; generate from a COMPLETE run (tune runs lists them)`, { code: 'USAGE' });
  }
  const hp = parseHyperparams({ ...o.defaults, ...run.config });
  const codec = await loadCodec(runVocab(run, opened.datasetsDir));
  const prompt = codec.encode(o.prompt, '--prompt');
  const [{ initBackend }, { loadCheckpoint }, { createCllmModel }] = await Promise.all([import('../../ml/backend.js'), import('../../ml/checkpoint.js'), import('./train.js')]);
  const { tf } = await initBackend(hp.backend);
  const model = createCllmModel(hp, codec.size, 0);
  try {
    await loadCheckpoint(tf, { dir: checkpointDir, tag: 'best', variables: model.variables });
    const ids = generateTokens(model, prompt, o);
    return { runId: run.runId, prompt: o.prompt, text: codec.decode(ids), tokens: ids.length };
  } finally {
    model.dispose();
  }
}
