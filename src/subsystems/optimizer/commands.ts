/**
 * What the optimizer adds to `tune`: `tune estimate` (the lattice estimator it labels its data with) and
 * `tune datasets generate optimizer`. Both import their engines inside `run`, so `tune --help` stays light.
 */
import type { SubsystemCommand, SubsystemDatasets } from '../subsystem.js';

export const estimateCommand: SubsystemCommand = {
  name: 'estimate',
  describe: 'lattice security estimate (primal uSVP, GSA, core-SVP) of an LWE parameter set',
  options: {
    n: { type: 'number', demandOption: true, describe: 'LWE / ring dimension' },
    q: { type: 'string', demandOption: true, describe: 'modulus: 12289, 2^27, 2**27 or logq:27' },
    sigma: { type: 'number', demandOption: true, describe: 'error standard deviation' },
    secret: { type: 'string', choices: ['gaussian', 'ternary', 'binary'], default: 'gaussian', describe: 'secret distribution' },
    m: { type: 'number', describe: 'samples available to the attacker (default 2n)' },
    'cost-model': { type: 'string', choices: ['core-svp', 'core-svp-log-b', 'bkz-sieve'], default: 'core-svp', describe: 'cost of one SVP call' },
  },
  async run(a, io) {
    const { estimateLwe, formatEstimate, parseModulus } = await import('../../lattice/index.js');
    type Params = Parameters<typeof estimateLwe>[0];
    const params = {
      n: a['n'], logQ: parseModulus(String(a['q'])), sigma: a['sigma'], secret: a['secret'], m: a['m'], costModel: a['cost-model'],
    } as Params;
    const est = estimateLwe(params);
    if (io.json) io.printJson({ params, estimate: est });
    else io.print(formatEstimate(est, params));
  },
};

/** `tune datasets generate optimizer`: a dataset of the size asked for (the default prepare makes a tuning-sized one). */
export const generateCommand: NonNullable<SubsystemDatasets['generate']> = {
  describe: 'circuits labelled by the lattice estimator, as HDF5 splits',
  options: {
    train: { type: 'number', default: 10000, describe: 'training circuits' },
    val: { type: 'number', default: 2000, describe: 'validation circuits' },
    test: { type: 'number', default: 2000, describe: 'test circuits' },
  },
  async run(a, io) {
    const { generateDatasets } = await import('./dataset/generate.js');
    const dir = String(a['dir']);
    let lastPct = -1;
    const manifest = await generateDatasets({
      dir,
      train: a['train'] as number,
      val: a['val'] as number,
      test: a['test'] as number,
      seed: a['seed'] as number,
      onProgress: (p) => {
        const pct = Math.floor((100 * p.done) / p.total);
        if (pct !== lastPct && (pct % 10 === 0 || p.done === p.total)) {
          lastPct = pct;
          io.info(`${p.split}: ${p.done}/${p.total} circuits (${pct}%)`);
        }
      },
    });
    if (io.json) return io.printJson({ dir, manifest });
    io.print(
      `wrote ${dir}: ${Object.entries(manifest.splits).map(([k, s]) => `${k} ${s.nCircuits}`).join(', ')} circuits ` +
        `in ${(manifest.totalMs / 1000).toFixed(1)} s (${Math.round(manifest.circuitsPerMinute)} circuits/min)`,
    );
  },
};
