/** Flags a resume command replaces: the trial count (given anew) and --resume itself. */
const REPLACED = /^--(trials|resume|no-resume)(=.*)?$/;

/**
 * The command line that resumes this run: the same arguments with `--trials <targetComplete> --resume`, since
 * `--resume` tops the study up to `--trials` COMPLETE trials (not `--trials` more).
 * @example resumeCommand(['--objective', 'b.ts', '--trials', '10'], 14) // "tune --objective b.ts --trials 14 --resume"
 */
export function resumeCommand(argv: readonly string[], targetComplete: number): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = REPLACED.exec(argv[i]);
    if (m === null) {
      kept.push(argv[i]);
      continue;
    }
    // `--trials 10` takes the next word; `--resume true` may too.
    const next = argv[i + 1];
    if (m[2] === undefined && next !== undefined && (m[1] === 'trials' ? !next.startsWith('--') : /^(true|false)$/.test(next))) i++;
  }
  return ['tune', ...kept, '--trials', String(targetComplete), '--resume'].map(shellQuote).join(' ');
}

/** A word as a POSIX shell reads it back: bare when it is safe, else single-quoted. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
