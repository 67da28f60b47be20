import { ConfigError } from '../errors.js';
import type { Subsystem } from './subsystem.js';

/**
 * The training subsystems `tune` knows: name → module URL. Adding a subsystem is one folder under
 * `src/subsystems/` and one line here; nothing in the CLI, the runner or the errors changes. Each module
 * default-exports its `Subsystem` and is imported only when asked for, so listing names costs nothing.
 */
const BUILT_IN: Readonly<Record<string, string>> = {
  optimizer: new URL('./optimizer/index.js', import.meta.url).href,
  fhe: new URL('./fhe/index.js', import.meta.url).href,
  zk: new URL('./zk/index.js', import.meta.url).href,
  cllm: new URL('./cllm/index.js', import.meta.url).href,
  retrieval: new URL('./retrieval/index.js', import.meta.url).href,
};

const modules = new Map<string, string>(Object.entries(BUILT_IN));
const loaded = new Map<string, Promise<Subsystem>>();

/**
 * Adds a subsystem from outside the package (a plug-in, a test's throwaway subsystem). `moduleUrl` is what a
 * worker thread imports to run its trials, so it must be an absolute `file:` URL (or a package name).
 * @example registerSubsystem('toy', new URL('./toy-subsystem.js', import.meta.url).href);
 */
export function registerSubsystem(name: string, moduleUrl: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new ConfigError(`registerSubsystem: name '${name}' must be lower-case letters, digits and dashes, starting with a letter`, { code: 'USAGE' });
  }
  if (Object.hasOwn(BUILT_IN, name)) throw new ConfigError(`registerSubsystem: '${name}' is a built-in subsystem; choose another name`, { code: 'USAGE' });
  modules.set(name, moduleUrl);
  loaded.delete(name);
}

export function subsystemNames(): readonly string[] {
  return [...modules.keys()];
}

export function isSubsystemName(name: string): boolean {
  return modules.has(name);
}

/** The module URL of subsystem `name`; ConfigError naming the available ones when unknown. */
export function subsystemModule(name: string): string {
  const url = modules.get(name);
  if (url === undefined) {
    throw new ConfigError(`unknown subsystem '${name}'; available: ${subsystemNames().join(', ')} (or pass --objective path/to/objective.ts)`, {
      code: 'USAGE',
    });
  }
  return url;
}

/** Load a subsystem by name (once per thread). */
export function loadSubsystem(name: string): Promise<Subsystem> {
  return loadSubsystemModule(subsystemModule(name), name);
}

/**
 * Load the subsystem a module URL default-exports (what a worker thread does with a trial's target). Checks the
 * export is a subsystem of that name, so a wrong module fails with a message rather than deep in a trial.
 */
export function loadSubsystemModule(moduleUrl: string, name: string): Promise<Subsystem> {
  const key = `${name}@${moduleUrl}`;
  let p = loaded.get(key);
  if (p === undefined) {
    p = import(moduleUrl).then((m: { default?: Partial<Subsystem> }) => checkSubsystem(m.default, name, moduleUrl));
    p.catch(() => loaded.delete(key));
    loaded.set(key, p);
  }
  return p;
}

function checkSubsystem(s: Partial<Subsystem> | undefined, name: string, moduleUrl: string): Subsystem {
  const missing = (['objective', 'fullTrain'] as const).filter((k) => typeof s?.[k] !== 'function');
  if (s === undefined || missing.length > 0 || typeof s.datasets?.prepare !== 'function') {
    throw new ConfigError(`subsystem '${name}': ${moduleUrl} must \`export default\` a Subsystem (objective, fullTrain, datasets.prepare)`, { code: 'USAGE' });
  }
  if (s.name !== name) throw new ConfigError(`subsystem '${name}': ${moduleUrl} exports the subsystem '${String(s.name)}'`, { code: 'USAGE' });
  return s as Subsystem;
}
