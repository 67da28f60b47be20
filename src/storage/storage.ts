import type { Distribution } from '../space/distributions.js';
import type {
  Attrs,
  AttrValue,
  Budget,
  FrozenRun,
  FrozenStudy,
  FrozenTrial,
  LogLine,
  MetricPoint,
  StudyDirection,
  StudySummary,
  TrialError,
  TrialState,
} from '../core/frozen.js';

/** What a new trial starts with. */
export interface TrialTemplate {
  readonly state?: 'RUNNING' | 'WAITING';
  readonly params?: Readonly<Record<string, { readonly distribution: Distribution; readonly internal: number }>>;
  readonly userAttrs?: Attrs;
  readonly systemAttrs?: Attrs;
  readonly worker?: string | null;
  readonly seed?: number | null;
  readonly codeVersion?: string | null;
  readonly budget?: Budget | null;
  readonly retryOf?: number | null;
  /**
   * Create the trial only while the study has fewer COMPLETE plus RUNNING trials than this, checked atomically with
   * the insert (so workers on many hosts topping a study up to N COMPLETE never overshoot); otherwise throw
   * StorageError STUDY_FULL and create nothing.
   */
  readonly maxActive?: number;
}

/** What `askTrial` claims or creates: a RUNNING trial with no params or attributes yet. */
export interface AskTrial {
  /** Claim an enqueued trial for this worker (its `worker` then); undefined: create one, never claim. */
  readonly claimAs: string | undefined;
  /** The `worker` of a trial created. */
  readonly worker: string | null;
  /**
   * On a store with leases: first fail the study's trials whose lease expired, as `reapExpiredLeases(studyId,
   * reaper, retries)` does (their retries enqueued, so this ask may claim one); they come back in `reaped`.
   */
  readonly reap?: { readonly reaper: string; readonly retries: number };
  readonly template: Pick<TrialTemplate, 'seed' | 'codeVersion' | 'budget' | 'retryOf' | 'maxActive'>;
}

/** What `askTrial` returns: the trial, every trial of the study (it included), and the trials its reap failed. */
export interface AskedTrial {
  readonly trial: FrozenTrial;
  readonly trials: readonly FrozenTrial[];
  readonly reaped: readonly FrozenTrial[];
}

export interface TrialParamInput {
  readonly name: string;
  readonly distribution: Distribution;
  readonly internal: number;
}

export interface TrialAttrInput {
  readonly kind: 'user' | 'system';
  readonly key: string;
  readonly value: AttrValue;
}

export interface TrialFinish {
  readonly state: 'COMPLETE' | 'PRUNED' | 'FAIL';
  /** Required for COMPLETE; NaN is rejected (StorageError code OBJECTIVE_VALUE is the study's job, not ours). */
  readonly value?: number | null;
  readonly error?: TrialError | null;
}

export interface TrialQuery {
  readonly states?: readonly TrialState[];
}

/** Options every backend takes, whatever else it is tuned with. */
export interface StorageOptions {
  /**
   * The current time, in ms since epoch, read for every timestamp the store writes (study creation, trial
   * start and completion, heartbeats, metric points without their own timestamp, runs) and for the
   * `findStaleTrials` cutoff. Default `Date.now`. It exists so tests (and a future multi-host lease logic)
   * can control time instead of sleeping.
   *
   * @example
   * let now = 1_000_000;
   * const storage = new InMemoryStorage({ clock: () => now });
   * now += 60_000; // a minute passes, instantly
   */
  readonly clock?: () => number;
}

/** What a new full-training run starts with. */
export interface NewRun {
  readonly studyName: string | null;
  /** The trial of `studyName` whose params the run trains (the baseline's provenance); omitted or null: unknown. */
  readonly trialNumber?: number | null;
  readonly subsystem: string;
  readonly config: Attrs;
  readonly codeVersion: string | null;
}

export type RunRef = { readonly runId: number };
export type MetricOwner = { readonly trialId: number } | RunRef;

/**
 * The study store. One contract (tests/storage/contract.ts) that every backend passes:
 *
 * - Studies have unique names; `createStudy` (or `renameStudy`) to an existing name throws StorageError code STUDY_EXISTS.
 * - `get…` throws (STUDY_NOT_FOUND / TRIAL_NOT_FOUND); `find…` returns undefined.
 * - Trial numbers are 0,1,2,… per study with no gaps or duplicates, even with several processes writing
 *   the same SQLite file at once (they never fail with "database is locked"; writers wait and retry).
 * - A finished trial (COMPLETE/PRUNED/FAIL) is immutable: writing to it throws code TRIAL_FINISHED.
 * - `setTrialParam` rejects a value outside its distribution (PARAM_CONFLICT), and a second value for a
 *   parameter the trial already has (PARAM_CONFLICT). Different trials may use different distributions.
 * - Every write is durable when its promise resolves: a process killed afterwards loses nothing. One exception,
 *   on a database server (PostgreSQL): a RUNNING trial's create and a heartbeat are committed but reach disk with
 *   the next durable commit (at the latest the trial's finish), so a *server* crash in between can lose that
 *   RUNNING trial; its creator's later writes to it then throw TRIAL_LOST and write nothing. A finished trial's
 *   result is never lost.
 * - ±Infinity values round-trip exactly; NaN is refused with a StorageError.
 * - Returned objects are frozen snapshots; mutating the store later never changes them.
 */
export interface Storage {
  /** e.g. `sqlite:studies/tuning.db`, `memory:` */
  readonly url: string;

  createStudy(opts: { name: string; direction: StudyDirection; userAttrs?: Attrs; systemAttrs?: Attrs }): Promise<FrozenStudy>;
  findStudy(name: string): Promise<FrozenStudy | undefined>;
  getStudy(name: string): Promise<FrozenStudy>;
  listStudies(): Promise<readonly StudySummary[]>;
  deleteStudy(name: string): Promise<void>;
  /**
   * Gives the study `name` the name `newName`, keeping its id, trials and everything recorded about them.
   * Throws STUDY_NOT_FOUND for an unknown `name` and STUDY_EXISTS when a study (this one included) is already
   * called `newName`. Full-training runs keep the study name they were recorded with, as they do on deleteStudy.
   */
  renameStudy(name: string, newName: string): Promise<FrozenStudy>;
  setStudyAttr(studyId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void>;

  createTrial(studyId: number, template?: TrialTemplate): Promise<FrozenTrial>;
  /**
   * Moves the lowest-numbered WAITING trial to RUNNING for this worker; returns undefined if none waits (another
   * process took it first). With `maxActive`, claims only while the study has fewer COMPLETE + RUNNING trials than
   * that, checked atomically with the claim as createTrial checks it, else throws STUDY_FULL.
   */
  claimWaitingTrial(studyId: number, worker: string, opts?: { readonly maxActive?: number }): Promise<FrozenTrial | undefined>;
  /**
   * Optional: an ask in one call. Claims the lowest-numbered WAITING trial for `claimAs` when given (as
   * claimWaitingTrial, under `template.maxActive`) or, when none waits, creates a RUNNING trial from `template` (as
   * createTrial), then returns it with every trial of the study as getAllTrials would return them afterwards: the
   * read is taken after the trial exists (Optuna's ask does the same), so `trials` holds it and every trial any
   * host committed before it. A networked store implements it so an ask costs one round trip; Study.ask uses it
   * unless a declared space must be checked against the study before a trial exists.
   */
  askTrial?(studyId: number, ask: AskTrial): Promise<AskedTrial>;
  setTrialParam(trialId: number, name: string, distribution: Distribution, internal: number): Promise<void>;
  /** Several params in one durable write, all or none (same rules as setTrialParam for each). */
  setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialAttr(trialId: number, kind: 'user' | 'system', key: string, value: AttrValue): Promise<void>;
  /**
   * Several attributes in one durable write, all or none, later ones winning for a repeated key (same rules as
   * setTrialAttr for each). Optional: where a store lacks it, callers write them one by one.
   */
  setTrialAttrs?(trialId: number, attrs: readonly TrialAttrInput[]): Promise<void>;
  /**
   * Optional: parameters and attributes of one trial in one transaction, all or none (each checked as
   * setTrialParams and setTrialAttrs check them). A networked store implements it so a trial's suggestions and
   * attributes cost one commit; Trial uses it when both are pending.
   */
  setTrialWrites?(trialId: number, writes: { readonly params: readonly TrialParamInput[]; readonly attrs: readonly TrialAttrInput[] }): Promise<void>;
  recordHeartbeat(trialId: number): Promise<void>;
  finishTrial(trialId: number, finish: TrialFinish): Promise<FrozenTrial>;
  /**
   * Optional: `finishTrial` with params and attributes written in the same transaction, all or none (each checked
   * as setTrialWrites checks them). A networked store implements it so suggestions made just before a trial's tell
   * cost no commit of their own; Study.tell uses it for the writes still queued then.
   */
  finishTrialWith?(
    trialId: number,
    finish: TrialFinish,
    writes: { readonly params: readonly TrialParamInput[]; readonly attrs: readonly TrialAttrInput[] },
  ): Promise<FrozenTrial>;

  getTrial(trialId: number): Promise<FrozenTrial>;
  findTrialByNumber(studyId: number, number: number): Promise<FrozenTrial | undefined>;
  /** All trials of the study ordered by number. Implementations cache finished trials (they are immutable). */
  getAllTrials(studyId: number, query?: TrialQuery): Promise<readonly FrozenTrial[]>;
  /** RUNNING trials whose heartbeat (or start, if none) is older than `olderThanMs`. */
  findStaleTrials(studyId: number, olderThanMs: number): Promise<readonly FrozenTrial[]>;
  /**
   * Stores with leases (PostgreSQL): a RUNNING trial holds a lease, taken when it starts and renewed by each
   * `recordHeartbeat`, judged by the store's own clock. This marks, in one atomic write, every RUNNING trial of the
   * study whose lease has expired FAIL (code WORKER) and returns them. A live trial is never failed by another
   * host's clock; its worker's next write to it throws TRIAL_FINISHED. Absent on stores without leases.
   * In the same transaction, each reaped trial whose chain of retries (`retryOf`) is shorter than `retries`
   * (default 0) gets a WAITING retry: a new trial with its params and `retryOf` set, which any process's next
   * ask claims, so a retry outlives the process that reaped.
   */
  reapExpiredLeases?(studyId: number, reaper: string, retries?: number): Promise<readonly FrozenTrial[]>;
  /** On stores with leases: how long one lasts; workers heartbeat well inside it. */
  readonly leaseMs?: number;

  /** Named metric series; appends are batched into one transaction. */
  appendMetrics(owner: MetricOwner, points: readonly MetricPoint[]): Promise<void>;
  getMetrics(owner: MetricOwner, name?: string): Promise<readonly Required<MetricPoint>[]>;
  appendLogs(owner: MetricOwner, lines: readonly LogLine[]): Promise<void>;
  getLogs(owner: MetricOwner): Promise<readonly LogLine[]>;

  createRun(opts: NewRun): Promise<FrozenRun>;
  finishRun(runId: number, finish: { state: 'COMPLETE' | 'FAIL'; result?: Attrs | null; error?: TrialError | null }): Promise<FrozenRun>;
  getRun(runId: number): Promise<FrozenRun>;
  listRuns(): Promise<readonly FrozenRun[]>;

  /**
   * Optional: a number that changes whenever another connection commits to the store (SQLite's
   * `PRAGMA data_version`); what the dashboard polls to push changes. Backends that cannot tell leave it out.
   */
  changeCounter?(): Promise<number>;

  close(): Promise<void>;
}
