import { isFinished, type FrozenTrial } from '../core/frozen.js';

/**
 * What one process already knows about a study's trials. Finished trials are immutable (the store refuses
 * writes to them), so once read they never need reading again; only trials that were unfinished at the last
 * read and trials created since are fetched. This is Optuna's `_CachedStorage` idea: `getAllTrials` runs on
 * every `ask`, and without it a study of n trials costs O(n) database work per trial, O(n²) in all.
 */
export class StudyTrialCache {
  /** Finished trials indexed by number (numbers are dense, so this is an array without holes in the end). */
  readonly #finished: FrozenTrial[] = [];
  #nFinished = 0;
  readonly #unfinishedIds = new Set<number>();
  /** Finished trials this process wrote (and so holds) with ids above `#maxTrialId`: a read need not fetch them. */
  readonly #heldAbove = new Set<number>();
  #maxTrialId = 0;
  /** The list `update` returned last, reused while nothing changed (a copy per read would make reads O(n) in garbage). */
  #last: readonly FrozenTrial[] | undefined;

  /** Trials with a larger id were created after the last read. */
  get maxTrialId(): number {
    return this.#maxTrialId;
  }

  /**
   * Finished trials above {@link maxTrialId} that this process already holds (it finished them): a store whose read
   * can skip them and tell the highest id it saw passes them, then calls {@link advanceTo}.
   */
  get heldAboveIds(): number[] {
    return [...this.#heldAbove];
  }

  /**
   * After a read (one snapshot) that returned every trial with an id above {@link maxTrialId} except
   * {@link heldAboveIds}, up to `maxId`, the highest trial id of the study it saw: every trial up to it is known.
   */
  advanceTo(maxId: number | null): void {
    if (maxId !== null && maxId > this.#maxTrialId) this.#maxTrialId = maxId;
    // Pruned even when `update` moved the cursor already: trials remembered from this very read (above the old
    // cursor) are held no longer, or every later read would send all of them (20,000 ids at 20,000 trials).
    for (const id of this.#heldAbove) if (id <= this.#maxTrialId) this.#heldAbove.delete(id);
  }

  /** Trials that were WAITING or RUNNING at the last read, to be read again. */
  get unfinishedIds(): number[] {
    return [...this.#unfinishedIds];
  }

  /**
   * Takes in what was just read (new trials and the previously unfinished ones, fresh) and returns every
   * trial of the study ordered by number.
   */
  update(fresh: readonly FrozenTrial[]): readonly FrozenTrial[] {
    if (fresh.length === 0 && this.#unfinishedIds.size === 0 && this.#last !== undefined) return this.#last;
    const unfinished: FrozenTrial[] = [];
    for (const t of fresh) {
      if (t.trialId > this.#maxTrialId) this.#maxTrialId = t.trialId;
      if (isFinished(t.state)) {
        this.#unfinishedIds.delete(t.trialId);
        this.remember(t);
      } else {
        this.#unfinishedIds.add(t.trialId);
        unfinished.push(t);
      }
    }
    this.#last = this.#withUnfinished(unfinished);
    return this.#last;
  }

  /**
   * The finished trials with the unfinished ones in their places, in one allocation when the unfinished trials are
   * the newest (the usual case: the trial just asked for, other hosts' running ones). A list of more than ~16,000
   * trials is a V8 large object, whose allocation costs ~4 ns per element where a small array's costs ~0.6 (the
   * pages are mapped for it): copying the list and then appending the new trial, which copies it again into a larger
   * one, was ~0.25 ms per ask at 20,000 trials against 0.01 ms at 1,000 (docs/benchmarks/store.md, session 30).
   */
  #withUnfinished(unfinished: readonly FrozenTrial[]): readonly FrozenTrial[] {
    const finished = this.#finished;
    const tail = unfinished.filter((t) => t.number >= finished.length).sort((a, b) => a.number - b.number);
    const all = tail.every((t, i) => t.number === finished.length + i) ? finished.concat(tail) : finished.slice();
    for (const t of unfinished) all[t.number] = t;
    // Dense numbering means no holes; a hole would only come from rows removed behind our back.
    return all.length === this.#nFinished + unfinished.length ? all : all.filter((t) => t !== undefined);
  }

  /**
   * Records a finished trial (e.g. the snapshot `finishTrial` just wrote). It never changes again, so a read need
   * not fetch it even if it was unfinished at the last one (the trial this process asked for and just told).
   */
  remember(t: FrozenTrial): void {
    if (!isFinished(t.state)) return;
    this.#last = undefined;
    this.#unfinishedIds.delete(t.trialId);
    if (t.trialId > this.#maxTrialId) this.#heldAbove.add(t.trialId);
    if (this.#finished[t.number] === undefined) this.#nFinished += 1;
    this.#finished[t.number] = t;
  }
}
