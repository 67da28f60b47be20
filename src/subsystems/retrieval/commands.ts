/** What retrieval adds to `tune`: `tune retrieve`. It imports TensorFlow.js inside `run`, so `tune --help` stays light. */
import type { SubsystemCommand } from '../subsystem.js';

export const retrieveCommand: SubsystemCommand = {
  name: 'retrieve',
  describe: 'the top documents of a trained retrieval run for a query (dense, bm25 or hybrid)',
  options: {
    run: { type: 'number', demandOption: true, describe: 'full-training run id (tune runs)' },
    query: { type: 'string', demandOption: true, describe: 'the query text' },
    k: { type: 'number', default: 5, describe: 'documents to show' },
    system: { type: 'string', default: 'dense', choices: ['dense', 'bm25', 'hybrid'], describe: 'which ranking to show' },
  },
  async run(a, io) {
    const [{ retrieveFromRun }, { default: retrieval }] = await Promise.all([import('./retrieve-run.js'), import('./index.js')]);
    const opened = await io.openRun(a['run'] as number, 'retrieval');
    const out = await retrieveFromRun(opened, { query: String(a['query']), k: a['k'] as number, system: a['system'] as 'dense' | 'bm25' | 'hybrid', defaults: retrieval.defaults.full });
    if (io.json) {
      io.printJson(out);
      return;
    }
    io.print(`${out.system} top ${out.hits.length} of ${out.corpusSize} documents for ${JSON.stringify(out.query)} (run ${out.runId}):`);
    out.hits.forEach((h, i) => io.print(`${String(i + 1).padStart(2)}. ${h.score.toFixed(4)}  ${h.id}  ${h.text.length > 160 ? `${h.text.slice(0, 157)}...` : h.text}`));
  },
};
