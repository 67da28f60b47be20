/**
 * The commands that come from the registry: `tune datasets prepare|generate <subsystem>` and every command a
 * subsystem contributes (the optimizer's `tune estimate`). Adding a subsystem adds its commands here with no
 * edit to the CLI.
 */
import type { Argv, Options } from 'yargs';
import { ConfigError } from '../../errors.js';
import type { CommandIo, CommandOption, OpenedRun, Subsystem } from '../../subsystems/subsystem.js';
import type { CliState } from '../state.js';
import { configOption, print, printJson, storageOption, withCommandStorage } from './shared.js';

/** Names `tune` itself uses; a subsystem may not take them for its commands. */
const RESERVED = new Set(['run', 'studies', 'trials', 'best', 'export-baseline', 'train', 'runs', 'logs', 'datasets']);

/** The flags a command's `openRun` reads; passed as given (undefined: the config's, else the defaults). */
interface StoreArgs {
  readonly storage?: unknown;
  readonly config?: unknown;
}

function io(json: boolean, store: StoreArgs = {}): CommandIo {
  return { json, print, printJson, info: (m) => process.stderr.write(`${m}\n`), openRun: (runId, subsystem) => openRun(store, runId, subsystem) };
}

async function openRun(store: StoreArgs, runId: number, subsystem: string): Promise<OpenedRun> {
  if (!Number.isSafeInteger(runId) || runId < 0) throw new ConfigError(`--run must be a run id (see \`tune runs\`), got ${String(runId)}`, { code: 'USAGE' });
  const { resolve } = await import('node:path');
  const { loadConfig } = await import('../../config/load.js');
  const configPath = typeof store.config === 'string' ? store.config : undefined;
  const { config } = await loadConfig(configPath);
  const storageArgs = { storage: typeof store.storage === 'string' ? store.storage : undefined, config: configPath };
  const run = await withCommandStorage(storageArgs, (storage) => storage.getRun(runId));
  if (run.subsystem !== subsystem) {
    throw new ConfigError(`run ${runId} trained subsystem '${run.subsystem}', not '${subsystem}'; pick a ${subsystem} run from \`tune runs\``, { code: 'USAGE' });
  }
  if (run.studyName === null) throw new ConfigError(`run ${runId} records no study, so its checkpoints cannot be found; pick a run \`tune train\` made`, { code: 'USAGE' });
  const { runCheckpointDir } = await import('../../baseline/full-train.js');
  const studiesDir = resolve(config.studiesDir ?? 'studies');
  return { run, checkpointDir: runCheckpointDir(studiesDir, run.studyName, runId), datasetsDir: resolve(config.datasetsDir ?? 'datasets'), studiesDir };
}

function withOptions<T>(y: Argv<T>, options: Readonly<Record<string, CommandOption>>): Argv<T> {
  let out = y;
  for (const [name, o] of Object.entries(options)) out = out.option(name, { ...o } as Options) as Argv<T>;
  return out;
}

/** `--datasets-dir`, else the config's `datasetsDir`, else `datasets`. */
async function datasetsRoot(a: { 'datasets-dir'?: unknown; config?: unknown }): Promise<string> {
  const { resolve } = await import('node:path');
  if (typeof a['datasets-dir'] === 'string') return resolve(a['datasets-dir']);
  const { loadConfig } = await import('../../config/load.js');
  const { config } = await loadConfig(typeof a.config === 'string' ? a.config : undefined);
  return resolve(config.datasetsDir ?? 'datasets');
}

const DATASET_OPTIONS: Readonly<Record<string, CommandOption>> = {
  seed: { type: 'number', default: 42, describe: 'seed of generated data' },
  'datasets-dir': { type: 'string', describe: "datasets root (default: the config's datasetsDir, else datasets/)" },
  json: { type: 'boolean', default: false, describe: 'print JSON' },
};

function checkSeed(a: Record<string, unknown>): true {
  if (!Number.isSafeInteger(a['seed'])) throw new ConfigError(`--seed must be an integer, got ${String(a['seed'])}`, { code: 'USAGE' });
  return true;
}

/** A hidden catch-all, so `tune datasets prepare nosuch` names the subsystems instead of "Unknown argument". */
function withUnknownSubsystem(y: Argv, names: readonly string[]): Argv {
  return y.command({
    command: '* [subsystem]',
    describe: false,
    builder: (b: Argv) => b.positional('subsystem', { type: 'string' }),
    handler: (a: { subsystem?: unknown }) => {
      const what = a.subsystem === undefined ? 'name a subsystem' : `unknown subsystem '${String(a.subsystem)}' here`;
      throw new ConfigError(`${what}; available: ${names.join(', ')}`, { code: 'USAGE' });
    },
  });
}

function registerDatasets(y: Argv, subs: readonly Subsystem[]): Argv {
  const prepare = (p: Argv): Argv => {
    for (const sub of subs) {
      p = p.command(
        sub.name,
        `${sub.description}: build its default dataset when missing, keep it when valid`,
        (o) => withOptions(o.option('config', configOption), { ...DATASET_OPTIONS, ...(sub.datasets.prepareOptions ?? {}) }).check(checkSeed),
        async (a) => {
          const datasetsDir = await datasetsRoot(a);
          const out = io(a['json'] === true);
          const r = await sub.datasets.prepare({ datasetsDir, seed: a['seed'] as number, args: a, log: (m) => out.info(m) });
          if (out.json) return out.printJson(r);
          out.print(r.generated ? `built ${sub.name} dataset in ${r.dir} (${r.reason ?? 'missing'})` : `${sub.name} dataset in ${r.dir} is present and valid; kept it`);
        },
      );
    }
    return withUnknownSubsystem(p, subs.map((s) => s.name)).demandCommand(1, `name a subsystem: ${subs.map((s) => s.name).join(', ')}`);
  };
  const generate = (g: Argv): Argv => {
    const generators = subs.filter((s) => s.datasets.generate !== undefined);
    for (const sub of generators) {
      const gen = sub.datasets.generate!;
      g = g.command(
        sub.name,
        gen.describe,
        (o) =>
          withOptions(o.option('config', configOption), {
            ...gen.options,
            ...DATASET_OPTIONS,
            dir: { type: 'string', describe: `output folder (default <datasets-dir>/${sub.name})` },
          }).check(checkSeed),
        async (a) => {
          const { join, resolve } = await import('node:path');
          const dir = typeof a['dir'] === 'string' ? resolve(a['dir']) : join(await datasetsRoot(a), sub.name);
          await gen.run({ ...a, dir }, io(a['json'] === true));
        },
      );
    }
    return withUnknownSubsystem(g, generators.map((s) => s.name)).demandCommand(1, `name a subsystem whose data is generated: ${generators.map((s) => s.name).join(', ')}`);
  };
  return y.command('datasets', "prepare or generate a subsystem's datasets", (d) =>
    d
      .command('prepare', "make sure a subsystem's default dataset exists (built only when missing or invalid)", prepare)
      .command('generate', 'generate a subsystem’s dataset at the sizes given', generate)
      .demandCommand(1, 'choose `tune datasets prepare <subsystem>` or `tune datasets generate <subsystem>`'),
  );
}

/** Registers `tune datasets …` and the subsystems' own commands. */
export function registerSubsystemCommands(y: Argv, _state: CliState, subs: readonly Subsystem[]): Argv {
  let out = registerDatasets(y, subs);
  const seen = new Map<string, string>();
  for (const sub of subs) {
    for (const cmd of sub.commands ?? []) {
      const clash = RESERVED.has(cmd.name) ? 'tune itself' : seen.get(cmd.name);
      if (clash !== undefined) {
        throw new ConfigError(`subsystem '${sub.name}': command '${cmd.name}' is already taken by ${clash}; rename it`, { code: 'USAGE' });
      }
      seen.set(cmd.name, `subsystem '${sub.name}'`);
      out = out.command(
        cmd.name,
        cmd.describe,
        (b) =>
          withOptions(b, {
            storage: { type: 'string', describe: storageOption.describe },
            config: { type: 'string', describe: configOption.describe },
            ...cmd.options,
            json: { type: 'boolean', default: false, describe: 'print JSON' },
          }),
        async (a) => cmd.run(a, io(a['json'] === true, a as StoreArgs)),
      );
    }
  }
  return out;
}
