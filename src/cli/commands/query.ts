import type { Argv } from 'yargs';
import type { CliState } from '../state.js';
import { withCommandStorage, print, printJson, withOutputOptions, outputFormat, usage, type OutputFormat } from './shared.js';

const STATES = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'] as const;

const COLUMNS_HELP =
  'columns to show, comma-separated: number, state, value, run_s (time the objective ran), total_s (from ask to finish, ' +
  'waiting in a deterministic batch included), started, completed, error, worker, seed, retry_of, params (one column ' +
  'each, natural order), params.<name>, user_attrs, user_attrs.<name>. Default table: number,state,value,run_s,total_s,params,error; ' +
  'csv: all of them';

/** `--columns`, for the commands that list trials; it shapes tables and CSV, not --json (whole trials). */
function withColumns<T>(y: Argv<T>) {
  return y.option('columns', { type: 'string', describe: COLUMNS_HELP }).check((a) => {
    if (a.columns !== undefined && outputFormat(a as { json?: boolean; format?: OutputFormat }) === 'json') {
      throw usage('--columns shapes the table and --format csv; --json prints whole trials: drop one of them');
    }
    return true;
  });
}

/** `tune studies`, `tune trials`, `tune best`: read-only queries of the store. */
export function registerQueryCommands(y: Argv, _state: CliState): Argv {
  return y
    .command(
      'studies',
      'list the studies in the store',
      (b) => withOutputOptions(b),
      async (a) => {
        const [{ listStudies }, { printCsv, printTable, STUDY_COLUMNS }] = await Promise.all([import('../../study/queries.js'), import('./query-output.js')]);
        await withCommandStorage(a, async (storage) => {
          const studies = await listStudies(storage);
          const format = outputFormat(a);
          if (format === 'json') return printJson(studies);
          if (format === 'csv') return printCsv(STUDY_COLUMNS, studies);
          if (studies.length === 0) return print(`no studies in ${storage.url}; start one with \`tune --trials 12\``);
          printTable(STUDY_COLUMNS, studies, 'see all with --format csv');
        });
      },
    )
    .command(
      'trials',
      "list a study's trials",
      (b) =>
        withColumns(withOutputOptions(b))
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
        const [{ trialToJson }, { listTrials }, { printTrials }] = await Promise.all([import('../format.js'), import('../../study/queries.js'), import('./query-output.js')]);
        await withCommandStorage(a, async (storage) => {
          const { trials, total, offset } = await listTrials(storage, a.study, {
            states: a.state === undefined ? undefined : [a.state],
            order: a.order,
            offset: a.offset,
            limit: a.limit,
          });
          const format = outputFormat(a);
          const inState = a.state !== undefined ? ` in state ${a.state}` : '';
          // Said on stderr, so a table, CSV or JSON on stdout stays clean for tools that read it.
          const say = (m: string): boolean => process.stderr.write(`${m}\n`);
          const none = total === 0 ? `study '${a.study}' has no trials${inState}` : `no trials past --offset ${offset}: the study has ${total}${inState}`;
          if (trials.length === 0 && format === 'table') return print(none);
          printTrials(trials, { format, columns: a.columns, json: () => trials.map(trialToJson) });
          if (trials.length === 0) say(none);
          else if (trials.length < total) say(`trials ${offset + 1}–${offset + trials.length} of ${total}${inState}`);
        });
      },
    )
    .command(
      'best',
      'show the best trials of a study',
      (b) =>
        withColumns(withOutputOptions(b))
          .option('study', { type: 'string', demandOption: true, describe: 'study name' })
          .option('top', { type: 'number', default: 1, describe: 'how many of the best trials' })
          .check((x) => {
            if (!Number.isSafeInteger(x.top) || x.top < 1) throw usage(`--top must be a positive integer, got ${String(x.top)}`);
            return true;
          }),
      async (a) => {
        const [{ trialToJson }, { getBestTrials }, { printTrials }] = await Promise.all([import('../format.js'), import('../../study/queries.js'), import('./query-output.js')]);
        await withCommandStorage(a, async (storage) => {
          const { study, trials: best } = await getBestTrials(storage, a.study, a.top);
          const format = outputFormat(a);
          printTrials(best, {
            format,
            columns: a.columns,
            json: () => (a.top === 1 ? trialToJson(best[0]) : best.map(trialToJson)),
            heading: `study '${a.study}' (${study.direction}), best ${best.length}:`,
          });
        });
      },
    );
}
