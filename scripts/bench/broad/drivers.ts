/**
 * One run of one sampler on one problem: parzen's samplers in process (the Study's protocol over a plain trial list,
 * conditional parameters suggested in a second round), Optuna 3.1 through its ask-and-tell peer. Both record the
 * noiseless value of the incumbent (the trial with the best observed value) after each mark.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { FrozenTrial } from '../../../src/core/frozen.js';
import type { Distribution, ParamValue, SearchSpace } from '../../../src/space/distributions.js';
import type { Sampler } from '../../../src/samplers/sampler.js';
import { type Params, type Problem, conditionalNames, noiseStream, unconditionalNames } from '../problems/problem.js';

/** Mark (trial count) → noiseless value of the incumbent after that many trials. */
export type Curve = Record<string, number>;

/** A frozen trial of the benchmark's plain trial list. */
export function frozen(number: number, state: FrozenTrial['state'], params: Record<string, ParamValue>, dists: SearchSpace, value: number | null): FrozenTrial {
  return {
    trialId: number + 1, studyId: 1, number, state, value, params, distributions: dists,
    intermediateValues: new Map(), userAttrs: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null,
    heartbeat: null, error: null, worker: null, seed: null, codeVersion: null, budget: null, retryOf: null,
  };
}

/** Tracks the incumbent and fills the curve at the marks. */
class Incumbent {
  #observed = Infinity;
  #truth = Infinity;
  readonly curve: Curve = {};
  constructor(readonly marks: readonly number[]) {}
  add(i: number, observed: number, truth: number): void {
    if (observed < this.#observed) [this.#observed, this.#truth] = [observed, truth];
    if (this.marks.includes(i)) this.curve[String(i)] = this.#truth;
  }
}

/** Asks `sampler` for one trial the way Study does: relative sample first, then each remaining active parameter independently. */
export function askParzen(sampler: Sampler, problem: Problem, history: readonly FrozenTrial[]): Record<string, ParamValue> {
  const number = history.length;
  const running = frozen(number, 'RUNNING', {}, {}, null);
  const ctx = { direction: 'minimize' as const, trials: [...history, running] };
  const rel = sampler.inferRelativeSearchSpace(ctx, running);
  const relParams = Object.keys(rel).length > 0 ? sampler.sampleRelative(ctx, running, rel) : {};
  const params: Record<string, ParamValue> = {};
  const suggest = (names: readonly string[]): void => {
    for (const n of names) {
      const d: Distribution = problem.space[n];
      params[n] = n in relParams && n in rel ? relParams[n] : sampler.sampleIndependent(ctx, frozen(number, 'RUNNING', params, {}, null), n, d);
    }
  };
  suggest(unconditionalNames(problem));
  suggest(conditionalNames(problem, params));
  return params;
}

export function runParzen(sampler: Sampler, problem: Problem, seed: number, nTrials: number, marks: readonly number[]): Curve {
  const history: FrozenTrial[] = [];
  const inc = new Incumbent(marks);
  for (let i = 0; i < nTrials; i++) {
    const params = askParzen(sampler, problem, history);
    const e = problem.evaluate(params, noiseStream(seed, i));
    const dists = Object.fromEntries(Object.keys(params).map((n) => [n, problem.space[n]]));
    history.push(frozen(i, 'COMPLETE', params, dists, e.observed));
    inc.add(i + 1, e.observed, e.truth);
  }
  return inc.curve;
}

const PEER = join(dirname(fileURLToPath(import.meta.url)), '../../../../scripts/bench/peers/optuna_ask_tell.py');

/** A long-lived Optuna 3.1 process (Debian's /usr/bin/python3, one BLAS thread) answering one request at a time. */
export class OptunaPeer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #replies: AsyncIterator<string>;
  #stderr = '';

  constructor() {
    this.#child = spawn('/usr/bin/python3', [PEER], { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    this.#child.stderr.on('data', (d: Buffer) => (this.#stderr = (this.#stderr + d.toString()).slice(-4000)));
    this.#replies = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  #send(msg: object): void {
    this.#child.stdin.write(`${JSON.stringify(msg)}\n`);
  }

  async #request(msg: object): Promise<Record<string, ParamValue>> {
    this.#send(msg);
    const r = await this.#replies.next();
    if (r.done === true) throw new Error(`the Optuna peer exited: ${this.#stderr}`);
    return (JSON.parse(r.value) as { params: Record<string, ParamValue> }).params;
  }

  async run(kind: string, problem: Problem, seed: number, nTrials: number, marks: readonly number[]): Promise<Curve> {
    this.#send({ op: 'start', kind, seed, space: problem.space });
    const inc = new Incumbent(marks);
    for (let i = 0; i < nTrials; i++) {
      const params: Params = { ...(await this.#request({ op: 'ask', names: unconditionalNames(problem) })) };
      const more = conditionalNames(problem, params);
      const all = more.length > 0 ? { ...params, ...(await this.#request({ op: 'suggest', names: more })) } : params;
      const e = problem.evaluate(all, noiseStream(seed, i));
      this.#send({ op: 'tell', value: e.observed });
      inc.add(i + 1, e.observed, e.truth);
    }
    return inc.curve;
  }

  close(): void {
    this.#child.stdin.end();
  }
}
