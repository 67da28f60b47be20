import type { Argv } from 'yargs';
import type { CliState } from '../main.js';

/** Subsystem tools: `tune datasets generate`, `tune estimate`, `tune logs`. */
export function registerToolCommands(y: Argv, _state: CliState): Argv {
  return y;
}
