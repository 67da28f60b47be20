/**
 * TPE overhead: milliseconds per ask + tell as a study grows to 100, 1000 and 5000 trials, on the five-parameter
 * space and objective of /work/shared/peers/optuna_overhead.py, in memory, with Optuna 3.1 run after it in the
 * same session for the ratio.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/tpe-overhead.js [--trials 5000] [--peer-trials 1000] [--optuna31]
 *
 * Two parzen drivers are timed: the library's own in-memory study (createStudy → ask → suggest* → tell), when it
 * loads, and the bare Sampler protocol over a plain trial list ("sampler only").
 */
import { spawnSync } from 'node:child_process';
import { OPTUNA31_TPE_OPTIONS, TPESampler } from '../../src/samplers/index.js';

/** parzen's default TPE, or with --optuna31 the Optuna 3.1 preset. */
function makeSampler(optuna31: boolean): TPESampler {
  return new TPESampler(optuna31 ? { ...OPTUNA31_TPE_OPTIONS, seed: 42 } : { seed: 42 });
}
import { arg, objective, SPACE } from './overhead-space.js';
import { runDirect } from './drive.js';

const MARKS = [10, 100, 250, 500, 1000, 2000, 5000];

/** Window label ("11-100") → ms per trial. */
type Windows = Map<string, number>;

class WindowClock {
  readonly windows: Windows = new Map();
  #prevT = performance.now();
  #prevN = 0;
  constructor(readonly n: number) {}
  tick(i: number): void {
    if (!MARKS.includes(i) && i !== this.n) return;
    const now = performance.now();
    this.windows.set(`${this.#prevN + 1}-${i}`, (now - this.#prevT) / (i - this.#prevN));
    this.#prevT = now;
    this.#prevN = i;
  }
}

function timeDirect(n: number, optuna31: boolean): Windows {
  const clock = new WindowClock(n);
  runDirect({ sampler: makeSampler(optuna31), space: SPACE, objective, nTrials: n, onTrial: (i) => clock.tick(i) });
  return clock.windows;
}

/** Through the library's Study, if it loads in this checkout; null (with the reason printed) if not. */
async function timeStudy(n: number, optuna31: boolean): Promise<Windows | null> {
  let createStudy: typeof import('../../src/study/create.js').createStudy;
  try {
    ({ createStudy } = await import('../../src/study/create.js'));
  } catch (e) {
    console.log(`study driver unavailable (${(e as Error).message.split('\n')[0]}); timing the sampler protocol only`);
    return null;
  }
  const study = await createStudy({ sampler: makeSampler(optuna31), direction: 'minimize' });
  const clock = new WindowClock(n);
  for (let i = 1; i <= n; i++) {
    const t = await study.ask();
    const p = {
      hidden_dim: t.suggestCategorical('hidden_dim', [128, 256, 384]),
      num_layers: t.suggestInt('num_layers', 3, 8),
      num_heads: t.suggestCategorical('num_heads', [4, 8]),
      dropout: t.suggestFloat('dropout', 0.05, 0.3),
      learning_rate: t.suggestFloat('learning_rate', 1e-5, 5e-4, { log: true }),
    };
    await study.tell(t, objective(p));
    clock.tick(i);
  }
  return clock.windows;
}

function timeOptuna(n: number): Windows {
  const r = spawnSync('/usr/bin/python3', ['/work/shared/peers/optuna_overhead.py', String(n)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`optuna_overhead.py exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const w: Windows = new Map();
  for (const m of r.stdout.matchAll(/trials (\d+-\d+): ([\d.]+) ms\/trial/g)) w.set(m[1], Number(m[2]));
  return w;
}

async function main(): Promise<void> {
  const n = Number(arg('trials', '5000'));
  const peerN = Number(arg('peer-trials', '1000'));
  const optuna31 = process.argv.includes('--optuna31');
  const results: Record<string, Windows> = {};
  results['parzen, sampler only'] = timeDirect(n, optuna31);
  const viaStudy = await timeStudy(n, optuna31);
  if (viaStudy !== null) results['parzen, in-memory study'] = viaStudy;
  if (peerN > 0) results['optuna 3.1, in memory'] = timeOptuna(peerN);
  const labels = Object.keys(results);
  const windows = [...new Set(labels.flatMap((l) => [...results[l].keys()]))];
  console.log(`\nTPE ms per trial (ask + tell), sampler=${optuna31 ? 'OPTUNA31_TPE_OPTIONS' : 'parzen default'}, node ${process.version}\n`);
  const ratioOf = labels.filter((l) => l.startsWith('parzen'));
  console.log(`| trials | ${labels.join(' | ')} | ${ratioOf.map((l) => `optuna / ${l}`).join(' | ')} |`);
  console.log(`|---|${labels.map(() => '---').join('|')}|${ratioOf.map(() => '---').join('|')}|`);
  for (const w of windows) {
    const peer = results['optuna 3.1, in memory']?.get(w);
    const cell = (l: string) => (results[l].has(w) ? (results[l].get(w) as number).toFixed(3) : '–');
    const ratio = (l: string) => (peer !== undefined && results[l].has(w) ? `${(peer / (results[l].get(w) as number)).toFixed(1)}×` : '–');
    console.log(`| ${w} | ${labels.map(cell).join(' | ')} | ${ratioOf.map(ratio).join(' | ')} |`);
  }
}

await main();
