import type { Argv } from 'yargs';
import type { StudySummary } from '../../core/frozen.js';
import type { CliState } from '../state.js';
import { withCommandStorage, print, printJson, withStoreOptions, usage } from './shared.js';

const STATES = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'] as const;

/** `tune studies`, `tune trials`, `tune best`: read-only queries of the store. */
export function registerQueryCommands(y: Argv, _state: CliState): Argv {
  return y
    .command(
      'studies',
      'list the studies in the store',
      (b) => withStoreOptions(b),
      async (a) => {
        const [{ table, formatNumber }, { listStudies }] = await Promise.all([import('../format.js'), import('../../study/queries.js')]);
        await withCommandStorage(a, async (storage) => {
          const studies = await listStudies(storage);
          if (a.json) return printJson(studies);
          if (studies.length === 0) return print(`no studies in ${storage.url}; start one with \`tune --trials 12\``);
          print(
            table(
              ['study', 'direction', 'trials', 'complete', 'pruned', 'fail', 'running', 'best', 'best #', 'created'],
              studies.map((s: StudySummary) => [
                s.name,
                s.direction,
                String(s.nTrials),
                String(s.counts.COMPLETE),
                String(s.counts.PRUNED),
                String(s.counts.FAIL),
                String(s.counts.RUNNING),
                formatNumber(s.bestValue),
                s.bestTrialNumber === null ? '-' : String(s.bestTrialNumber),
                s.createdAt.toISOString(),
              ]),
            ),
          );
        });
      },
    )
    .command(
      'trials',
      "list a study's trials",
      (b) =>
        withStoreOptions(b)
          .option('study', { type: 'string', demandOption: true, describe: 'study name' })
          .option('state', { choices: STATES, describe: 'only trials in this state' })
          .option('order', { choices: ['number', 'best'] as const, default: 'number' as const, describe: 'by trial number, or best value first' })
          .option('offset', { type: 'number', default: 0, describe: 'skip this many trials (paging)' })
          .option('limit', { type: 'number', describe: 'show at most this many trials (paging)' })
          .check((x) => {
            for (const k of ['offset', 'limit'] as const) {
              const v = x[k];
              if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw usage(`--${k} must be a non-negative integer, got ${String(v)}`);
            }
            return true;
          }),
      async (a) => {
        const [{ table, trialRows, trialToJson, TRIAL_HEADERS }, { listTrials }] = await Promise.all([import('../format.js'), import('../../study/queries.js')]);
        await withCommandStorage(a, async (storage) => {
          const { trials, total, offset } = await listTrials(storage, a.study, {
            states: a.state === undefined ? undefined : [a.state],
            order: a.order,
            offset: a.offset,
            limit: a.limit,
          });
          if (a.json) return printJson(trials.map(trialToJson));
          const inState = a.state !== undefined ? ` in state ${a.state}` : '';
          if (trials.length === 0) return print(total === 0 ? `study '${a.study}' has no trials${inState}` : `no trials past --offset ${offset}: the study has ${total}${inState}`);
          print(table(TRIAL_HEADERS, trialRows(trials)));
          // Paged: say which slice this is, on stderr so the table stays clean for tools that read it.
          if (trials.length < total) process.stderr.write(`trials ${offset + 1}–${offset + trials.length} of ${total}${inState}\n`);
        });
      },
    )
    .command(
      'best',
      'show the best trials of a study',
      (b) =>
        withStoreOptions(b)
          .option('study', { type: 'string', demandOption: true, describe: 'study name' })
          .option('top', { type: 'number', default: 1, describe: 'how many of the best trials' })
          .check((x) => {
            if (!Number.isSafeInteger(x.top) || x.top < 1) throw usage(`--top must be a positive integer, got ${String(x.top)}`);
            return true;
          }),
      async (a) => {
        const [{ table, trialRows, trialToJson, TRIAL_HEADERS }, { getBestTrials }] = await Promise.all([import('../format.js'), import('../../study/queries.js')]);
        await withCommandStorage(a, async (storage) => {
          const { study, trials: best } = await getBestTrials(storage, a.study, a.top);
          if (a.json) return printJson(a.top === 1 ? trialToJson(best[0]) : best.map(trialToJson));
          print(`study '${a.study}' (${study.direction}), best ${best.length}:`);
          print(table(TRIAL_HEADERS, trialRows(best)));
        });
      },
    );
}
