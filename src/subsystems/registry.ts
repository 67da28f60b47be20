import { ConfigError } from '../errors.js';
import type { Subsystem } from './subsystem.js';

/**
 * The training subsystems parzen ships. Each entry imports its module lazily so that listing them (or `tune --help`)
 * never loads TensorFlow.js or h5wasm.
 */
const LOADERS: Readonly<Record<string, () => Promise<Subsystem>>> = {
  optimizer: async () => (await import('./optimizer/index.js')).optimizerSubsystem,
};

export const SUBSYSTEM_NAMES: readonly string[] = Object.keys(LOADERS);

export function isSubsystemName(name: string): boolean {
  return Object.hasOwn(LOADERS, name);
}

/** Load a subsystem by name; ConfigError naming the available ones when unknown. */
export async function loadSubsystem(name: string): Promise<Subsystem> {
  const load = LOADERS[name];
  if (load === undefined || !Object.hasOwn(LOADERS, name)) {
    throw new ConfigError(`unknown subsystem '${name}'; available: ${SUBSYSTEM_NAMES.join(', ')} (or pass --objective path/to/objective.ts)`, {
      code: 'USAGE',
    });
  }
  return load();
}
