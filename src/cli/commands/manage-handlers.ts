import { existsSync, realpathSync } from 'node:fs';
import type { StudyDirection } from '../../core/frozen.js';
import { studyExists } from '../../storage/checks.js';
import { openStorage, sqlitePath } from '../../storage/open.js';
import { copyStudy, replayClock } from '../../study/copy.js';
import { getBestTrials } from '../../study/queries.js';
import { trialToJson } from '../format.js';
import type { OutputFormat } from './shared.js';
import { print, printJson, usage, withCommandStorage } from './shared.js';

/** Handlers of the study management commands (manage.ts registers them); ask and tell are in ask-tell.ts. */

interface StoreArgs {
  readonly storage?: string;
  readonly config?: string;
}

/** Commands that change a study of an existing store; create-study may also create the store. */
const write = { access: 'write' } as const;
const create = { access: 'create' } as const;

/** `tune create-study`: an empty study, as Optuna's `create-study`; `--skip-if-exists` accepts one that is there. */
export async function createStudyCommand(a: StoreArgs & { study: string; direction?: StudyDirection; skipIfExists: boolean; json: boolean }): Promise<void> {
  await withCommandStorage(a, async (storage) => {
    const existing = await storage.findStudy(a.study);
    if (existing !== undefined && !a.skipIfExists) {
      throw studyExists(a.study, `use --skip-if-exists to accept it, or another --study name (it is in ${storage.url})`);
    }
    if (existing !== undefined && a.direction !== undefined && existing.direction !== a.direction) {
      throw usage(`study '${a.study}' already exists in ${storage.url} to ${existing.direction}, not ${a.direction}; drop --direction or use another --study name`);
    }
    const study = existing ?? (await storage.createStudy({ name: a.study, direction: a.direction ?? 'minimize' }));
    if (a.json) return printJson(study);
    print(existing !== undefined ? `study '${a.study}' already exists in ${storage.url} (${study.direction}); left as it is` : `created study '${a.study}' (${study.direction}) in ${storage.url}`);
  }, create);
}

/**
 * `tune delete-study`: asks no question (scripts stay non-interactive, as with Optuna's `delete-study`) but needs
 * `--yes`, since it removes every trial for good; without it the command says what it would delete.
 */
export async function deleteStudyCommand(a: StoreArgs & { study: string; yes: boolean; json: boolean }): Promise<void> {
  await withCommandStorage(a, async (storage) => {
    const study = await storage.getStudy(a.study);
    const nTrials = (await storage.getAllTrials(study.studyId)).length;
    if (!a.yes) {
      throw usage(
        `delete-study removes study '${a.study}' and its ${nTrials} trials (params, values, metrics, logs) from ${storage.url} for good; ` +
          `add --yes to do it (keep a copy first with \`tune copy-study --study ${a.study} --from-storage ${storage.url} --to-storage sqlite:<backup.db>\`)`,
      );
    }
    await storage.deleteStudy(a.study);
    if (a.json) return printJson({ deleted: a.study, nTrials, storage: storage.url });
    print(`deleted study '${a.study}' and its ${nTrials} trials from ${storage.url}`);
  }, write);
}

/** `tune rename-study --study S --to T`. */
export async function renameStudyCommand(a: StoreArgs & { study: string; to: string; json: boolean }): Promise<void> {
  if (a.to === a.study) throw usage(`--to: the study is already called '${a.study}'; give a different new name`);
  await withCommandStorage(a, async (storage) => {
    const study = await storage.renameStudy(a.study, a.to);
    if (a.json) return printJson(study);
    print(`renamed study '${a.study}' to '${a.to}' in ${storage.url}`);
  }, write);
}

/** `tune copy-study`: the whole study, from one store to another (or to a new name in the same store). */
export async function copyStudyCommand(a: { study: string; fromStorage: string; toStorage: string; toStudy?: string; json: boolean }): Promise<void> {
  const toStudy = a.toStudy ?? a.study;
  if (a.toStorage === 'memory:' || a.toStorage === 'memory://') {
    throw usage('--to-storage memory: would vanish when tune exits; copy to a file, e.g. --to-storage sqlite:backup.db');
  }
  if (sameStore(a.fromStorage, a.toStorage) && toStudy === a.study) {
    throw usage(`copy-study: --from-storage and --to-storage are the same store and --to-study is the same name '${a.study}'; give --to-study <new name> or another --to-storage`);
  }
  const from = await openStorage(a.fromStorage, { readOnly: true });
  try {
    const clock = replayClock();
    const to = await openStorage(a.toStorage, { clock: clock.now });
    try {
      const { study, nTrials } = await copyStudy(from, to, { study: a.study, toStudy, clock });
      if (a.json) return printJson({ from: from.url, to: to.url, study: a.study, toStudy: study.name, nTrials });
      print(`copied study '${a.study}' (${nTrials} trials) from ${from.url} to '${study.name}' in ${to.url}`);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}

/** `tune best-trials` (Optuna's name): the best COMPLETE trials, best first; `--json` is always a list. */
export async function bestTrialsCommand(a: StoreArgs & { study: string; top: number; format: OutputFormat }): Promise<void> {
  await withCommandStorage(a, async (storage) => {
    const { study, trials } = await getBestTrials(storage, a.study, a.top);
    const { printTrials } = await import('./query-output.js');
    printTrials(trials, { format: a.format, json: () => trials.map(trialToJson), heading: `study '${a.study}' (${study.direction}), best ${trials.length}:` });
  });
}

/** Whether two URLs name the same SQLite file (symlinks resolved when the file exists). */
function sameStore(a: string, b: string): boolean {
  if (!a.startsWith('sqlite:') || !b.startsWith('sqlite:')) return false;
  const file = (url: string): string => {
    const path = sqlitePath(url, process.cwd());
    return existsSync(path) ? realpathSync(path) : path;
  };
  return file(a) === file(b);
}
