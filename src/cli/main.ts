import yargs, { type Argv } from 'yargs';
import { ParzenError } from '../errors.js';
import { BAD_INPUT_CODES, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, type CliState } from './state.js';
import { registerQueryCommands } from './commands/query.js';
import { registerRunCommand } from './commands/run.js';
import { registerBaselineCommands } from './commands/baseline.js';
import { registerSubsystemCommands } from './commands/subsystems.js';
import { registerTrackingCommands } from './commands/tracking.js';
import { registerManageCommands } from './commands/manage.js';
import { registerInsightCommands } from './commands/insight.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { loadSubsystem, subsystemNames } from '../subsystems/registry.js';

/** Run the CLI; returns the exit code. Only bin.ts turns it into the process's exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const state: CliState = { exitCode: EXIT_OK, argv: [...argv] };
  let parser: Argv = yargs([...argv])
    .scriptName('tune')
    .usage('$0 [run] [options]  — tune a subsystem or an objective; see the commands below')
    .strict()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .version(false)
    .help('help')
    .alias('help', 'h')
    .fail((msg, err) => {
      if (err !== undefined && err !== null) throw err;
      throw new UsageFailure(msg);
    });
  parser = registerRunCommand(parser, state);
  parser = registerQueryCommands(parser, state);
  parser = registerBaselineCommands(parser, state);
  parser = registerTrackingCommands(parser, state);
  parser = registerManageCommands(parser, state);
  parser = registerInsightCommands(parser, state);
  parser = registerDoctorCommand(parser);
  parser = parser.epilog(
    'Storage defaults to sqlite:studies/tuning.db (or the `storage` of tuning.config.ts).\n' +
      'Examples:\n  tune --trials 12\n  tune --objective examples/branin.ts --trials 60 --study b --seed 1\n' +
      '  tune best --study b --json\n  tune export-baseline --study optimizer --out studies/baselines/optimizer.json',
  );
  try {
    // Subsystem modules are light (their engines load inside trials), so building `tune --help` from them is cheap.
    const subsystems = await Promise.all(subsystemNames().map((name) => loadSubsystem(name)));
    parser = registerSubsystemCommands(parser, state, subsystems);
    await parser.parseAsync();
  } catch (e) {
    return reportError(e);
  }
  return state.exitCode;
}

class UsageFailure extends Error {}

function reportError(e: unknown): number {
  if (e instanceof UsageFailure) {
    process.stderr.write(`tune: ${e.message}\nRun \`tune --help\` for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof ParzenError) {
    const cause = e.cause instanceof Error && !e.message.includes(e.cause.message) ? ` (cause: ${e.cause.message})` : '';
    process.stderr.write(`tune: ${e.message}${cause}\n`);
    return e.code === 'INTERRUPTED' ? EXIT_INTERRUPTED : BAD_INPUT_CODES.has(e.code) ? EXIT_BAD_INPUT : EXIT_FAILURE;
  }
  process.stderr.write(`tune: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT_FAILURE;
}
