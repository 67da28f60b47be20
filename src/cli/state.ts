import type { ErrorCode } from '../errors.js';

/** Exit codes: 0 ok, 1 a failure while running (or some trials failed), 2 bad input, 130 interrupted. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERRUPTED = 130;

/** Error codes that mean the user's input was wrong (exit 2) rather than a failure while running (exit 1). */
export const BAD_INPUT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CONFIG_INVALID', 'SPACE_INVALID', 'PARAM_CONFLICT', 'USAGE', 'OBJECTIVE_LOAD', 'STUDY_NOT_FOUND', 'DATASET',
  // A --storage that names no store (query commands never create one) or one this user may only read,
  // and a study name that is already taken: each is fixed by changing the command, not by retrying it.
  'STORE_NOT_FOUND', 'STORE_READ_ONLY', 'STUDY_EXISTS',
  // A database server that refused the --storage URL's user or password.
  'STORE_ACCESS_DENIED',
]);

/** Shared state of one CLI invocation: handlers set the exit code instead of exiting. */
export interface CliState {
  exitCode: number;
  /** The arguments the CLI was run with (what `tune` prints back, e.g. the command that resumes a run). */
  readonly argv: readonly string[];
}
