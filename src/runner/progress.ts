import type { StudyDirection, TrialState } from '../core/frozen.js';
import { isBetter } from '../core/ranking.js';

/**
 * A progress view of the trial pool, pure with respect to I/O: it writes to the stream it is given and reads
 * the clock it is given, nothing else. On a terminal it keeps a live block (done/total, best so far, ETA, one
 * line per running trial with epoch and batch) redrawn in place with ANSI cursor-up + clear-to-end, at most
 * every `minRedrawMs`; finished trials scroll above it as permanent lines. Without a terminal (CI, pipes) it
 * writes one plain line per event and no escape codes: start, finish, and epoch progress at most once per epoch.
 */

/** Where to write: `process.stdout` or any stream with `write` (its `columns` bounds line width on a TTY). */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly columns?: number;
}

export interface ProgressOptions {
  readonly stream: ProgressStream;
  /** Live redrawn block (true) or one plain line per event (false); usually `stream.isTTY === true`. */
  readonly isTTY: boolean;
  /** Trials this run will execute (the done/total denominator); 0 says there is nothing to run. */
  readonly total: number;
  readonly direction: StudyDirection;
  /** The study's best trial before this run (a resumed study), so "best" is the study's from the first line. */
  readonly best?: { readonly number: number; readonly value: number } | null;
  /** Trials run at once, for the ETA; default: the most seen running together. */
  readonly concurrency?: number;
  /** Milliseconds clock; default `Date.now`. */
  readonly now?: () => number;
  /** Least time between two redraws on a TTY (default 100 ms: at most ~10 redraws a second). */
  readonly minRedrawMs?: number;
}

/** Where a running trial is within its budget, as objectives report it with `ctx.progress`. */
export interface TrialProgressUpdate {
  readonly epoch?: number;
  readonly epochs?: number;
  readonly batch?: number;
  readonly batches?: number;
}

export interface Progress {
  /** `trainWorkers`: worker slots the trial trains on (data-parallel when more than 1); default 1. */
  trialStarted(number: number, params: Readonly<Record<string, unknown>>, trainWorkers?: number): void;
  trialProgress(number: number, progress: TrialProgressUpdate): void;
  trialFinished(number: number, state: TrialState, value: number | null): void;
  /** Draws the final state, stops the redraw timer. Later calls do nothing. */
  close(): void;
  /** Estimated milliseconds until all `total` trials are done; null before the first finishes. */
  etaMs(): number | null;
}

interface Running {
  readonly number: number;
  readonly params: string;
  readonly trainWorkers: number;
  readonly startedMs: number;
  progress: TrialProgressUpdate;
  lastPrintedEpoch: number | undefined;
}

const ESC = '\u001b[';

/**
 * Creates the progress view for one `tune` run.
 *
 * @example
 * const progress = createProgress({ stream: process.stdout, isTTY: process.stdout.isTTY === true, total: 12, direction: 'minimize' });
 * progress.trialStarted(0, { lr: 1e-3 });
 * progress.trialProgress(0, { epoch: 1, epochs: 2, batch: 10, batches: 50 });
 * progress.trialFinished(0, 'COMPLETE', 0.42);
 * progress.close();
 */
export function createProgress(options: ProgressOptions): Progress {
  return new ProgressView(options);
}

class ProgressView implements Progress {
  readonly #o: Required<Omit<ProgressOptions, 'concurrency' | 'best'>> & { readonly concurrency: number | undefined };
  readonly #running = new Map<number, Running>();
  readonly #durationsMs: number[] = [];
  #done = 0;
  #best: { readonly number: number; readonly value: number } | null = null;
  #maxConcurrent = 0;
  #blockLines = 0;
  #lastDrawMs = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(o: ProgressOptions) {
    this.#o = { now: Date.now, minRedrawMs: 100, ...o, concurrency: o.concurrency };
    this.#best = o.best ?? null;
  }

  trialStarted(number: number, params: Readonly<Record<string, unknown>>, trainWorkers = 1): void {
    if (this.#closed) return;
    const trial: Running = { number, params: formatParams(params), trainWorkers, startedMs: this.#o.now(), progress: {}, lastPrintedEpoch: undefined };
    this.#running.set(number, trial);
    this.#maxConcurrent = Math.max(this.#maxConcurrent, this.#running.size);
    if (this.#o.isTTY) this.#scheduleDraw();
    else this.#line(`trial ${number} started${onWorkers(trainWorkers)}${trial.params ? `  ${trial.params}` : ''}`);
  }

  trialProgress(number: number, progress: TrialProgressUpdate): void {
    const trial = this.#running.get(number);
    if (this.#closed || trial === undefined) return;
    trial.progress = { ...trial.progress, ...progress };
    if (this.#o.isTTY) {
      this.#scheduleDraw();
      return;
    }
    // Plain output: one line when a new epoch starts, not one per batch.
    const epoch = trial.progress.epoch;
    if (epoch !== undefined && epoch !== trial.lastPrintedEpoch) {
      trial.lastPrintedEpoch = epoch;
      this.#line(`trial ${number} epoch ${epoch}${trial.progress.epochs !== undefined ? `/${trial.progress.epochs}` : ''}`);
    }
  }

  trialFinished(number: number, state: TrialState, value: number | null): void {
    if (this.#closed) return;
    const trial = this.#running.get(number);
    this.#running.delete(number);
    this.#done += 1;
    const elapsedMs = trial === undefined ? null : this.#o.now() - trial.startedMs;
    if (elapsedMs !== null) this.#durationsMs.push(elapsedMs);
    if (state === 'COMPLETE' && value !== null && this.#isBetter(value)) this.#best = { number, value };
    const took = elapsedMs === null ? '' : ` in ${formatDuration(elapsedMs)}`;
    const what = value === null ? state : `${state} ${formatValue(value)}`;
    const summary = `trial ${number} ${what}${took}  (${this.#done}/${this.#o.total} done, ${this.#bestText()})`;
    if (this.#o.isTTY) {
      // The finished line scrolls above the live block, which is drawn again beneath it.
      this.#write(this.#clearBlock() + summary + '\n');
      this.#blockLines = 0;
      this.#draw();
    } else {
      this.#line(summary);
    }
  }

  close(): void {
    if (this.#closed) return;
    if (this.#o.total === 0 && this.#done === 0) this.#closeNothingToRun();
    else if (this.#o.isTTY) this.#draw();
    else this.#line(`${this.#done}/${this.#o.total} trials done, ${this.#bestText()}`);
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** No "0/0 trials done": there was nothing to do; the block, if any was drawn, gives way to one line. */
  #closeNothingToRun(): void {
    this.#write(this.#clearBlock() + `nothing to run; ${this.#bestText()}\n`);
    this.#blockLines = 0;
  }

  #isBetter(value: number): boolean {
    if (Number.isNaN(value)) return false;
    if (this.#best === null) return true;
    return isBetter(value, this.#best.value, this.#o.direction);
  }

  #bestText(): string {
    return this.#best === null ? 'no best yet' : `best ${formatValue(this.#best.value)} (trial ${this.#best.number})`;
  }

  /** Redraw now if the last redraw is old enough, else once when it is (never more than one pending). */
  #scheduleDraw(): void {
    const wait = this.#lastDrawMs + this.#o.minRedrawMs - this.#o.now();
    if (wait <= 0) {
      this.#draw();
      return;
    }
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#closed) this.#draw();
    }, wait);
    // A pending redraw must not keep the process alive.
    this.#timer.unref();
  }

  #draw(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const width = Math.max((this.#o.stream.columns ?? 100) - 1, 20);
    const lines = [this.#headline(), ...[...this.#running.values()].map((t) => this.#trialLine(t))].map((l) => truncate(l, width));
    this.#write(this.#clearBlock() + lines.join('\n') + '\n');
    this.#blockLines = lines.length;
    this.#lastDrawMs = this.#o.now();
  }

  /** Cursor up over the previous block, to column 0, clear to the end of the screen. */
  #clearBlock(): string {
    return this.#blockLines === 0 ? '' : `${ESC}${this.#blockLines}A\r${ESC}0J`;
  }

  #headline(): string {
    const eta = this.etaMs();
    const etaText = eta === null ? 'ETA —' : `ETA ${formatDuration(eta)}`;
    return `trials ${this.#done}/${this.#o.total} done · ${this.#running.size} running · ${this.#bestText()} · ${etaText}`;
  }

  #trialLine(t: Running): string {
    const p = t.progress;
    const parts = [`  trial ${t.number}${onWorkers(t.trainWorkers)}`];
    if (p.epoch !== undefined) parts.push(`epoch ${p.epoch}${p.epochs !== undefined ? `/${p.epochs}` : ''}`);
    if (p.batch !== undefined) parts.push(`batch ${p.batch}${p.batches !== undefined ? `/${p.batches}` : ''}`);
    parts.push(formatDuration(this.#o.now() - t.startedMs));
    if (t.params) parts.push(t.params);
    return parts.join('  ');
  }

  /**
   * Remaining time: the work left is (trials not finished) × mean trial duration, less the time the running
   * trials have already put in (each capped at the mean), spread over the concurrency. Null before any trial
   * has finished, as there is no duration to go by.
   */
  etaMs(): number | null {
    if (this.#durationsMs.length === 0) return null;
    const mean = this.#durationsMs.reduce((a, b) => a + b, 0) / this.#durationsMs.length;
    const now = this.#o.now();
    let spent = 0;
    for (const t of this.#running.values()) spent += Math.min(now - t.startedMs, mean);
    const remainingWork = Math.max((this.#o.total - this.#done) * mean - spent, 0);
    const concurrency = Math.max(this.#o.concurrency ?? this.#maxConcurrent, 1);
    return remainingWork / concurrency;
  }

  #line(text: string): void {
    this.#write(text + '\n');
  }

  #write(text: string): void {
    this.#o.stream.write(text);
  }
}

/** `name=value` pairs, numbers to 4 significant digits. */
/** " on 2 train workers" for a data-parallel trial; nothing for one on a single worker. */
function onWorkers(trainWorkers: number): string {
  return trainWorkers > 1 ? ` on ${trainWorkers} train workers` : '';
}

function formatParams(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v, 4) : String(v)}`)
    .join(' ');
}

/** An objective value: 6 significant digits, ±inf spelled out. */
export function formatValue(v: number): string {
  return formatNumber(v, 6);
}

function formatNumber(v: number, digits: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/** 850ms, 12.3s, 4m 05s, 2h 03m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(Math.round(ms), 0)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const totalSeconds = Math.round(s);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(sec).padStart(2, '0')}s`;
}

function truncate(line: string, width: number): string {
  return line.length <= width ? line : line.slice(0, width - 1) + '…';
}
