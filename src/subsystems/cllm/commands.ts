/** What cllm adds to `tune`: `tune generate`. It imports TensorFlow.js inside `run`, so `tune --help` stays light. */
import type { SubsystemCommand } from '../subsystem.js';

export const generateCommand: SubsystemCommand = {
  name: 'generate',
  describe: 'continue a prompt with a trained cllm run (seeded: the same flags give the same text)',
  options: {
    run: { type: 'number', demandOption: true, describe: 'full-training run id (tune runs)' },
    prompt: { type: 'string', default: '\n', describe: 'text to continue (characters of the training corpus)' },
    tokens: { type: 'number', default: 200, describe: 'characters to generate' },
    temperature: { type: 'number', default: 0.8, describe: 'softmax temperature (0: greedy)' },
    'top-k': { type: 'number', default: 40, describe: 'sample among the k most likely characters (0: all)' },
    seed: { type: 'number', default: 42, describe: 'sampling seed' },
  },
  async run(a, io) {
    const [{ generateFromRun }, { default: cllm }] = await Promise.all([import('./generate-run.js'), import('./index.js')]);
    const opened = await io.openRun(a['run'] as number, 'cllm');
    const topK = a['top-k'] as number;
    const out = await generateFromRun(opened, {
      prompt: String(a['prompt']),
      tokens: a['tokens'] as number,
      temperature: a['temperature'] as number,
      topK: topK === 0 ? null : topK,
      seed: a['seed'] as number,
      defaults: cllm.defaults.full,
    });
    if (io.json) io.printJson(out);
    else io.print(out.prompt + out.text);
  },
};
