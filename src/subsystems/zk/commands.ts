/**
 * `tune audit`: verifies every proof of a zk run (`--run ID`, the proofs of `tune train`) or of any proof folder
 * (`--dir`, e.g. a trial's `proof_dir` attribute) and the commitment chain, and names the first failing step; with
 * the dataset at hand it also recomputes each published batch commitment from the training rows; `--mode retry` and
 * `--mode fallback` first re-prove the steps whose proofs fail, from the run's stored witnesses (audit-repair.ts).
 * Exit 1 when any check fails. Loads snarkjs only when run.
 */
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { CommandIo, SubsystemCommand } from '../subsystem.js';

async function rowsFor(dir: string, datasetsDir: string): Promise<((row: number) => readonly bigint[]) | undefined> {
  const [{ existsSync }, { readManifestFile }, { readSplit }, { fixedRow }, { formatOf }] = await Promise.all([
    import('node:fs'), import('./proof-store.js'), import('./dataset/tabular.js'), import('./data.js'), import('./sgd-reference.js'),
  ]);
  if (!existsSync(join(datasetsDir, 'zk', 'train.csv'))) return undefined;
  const m = readManifestFile(dir);
  const train = readSplit(join(datasetsDir, 'zk'), 'train');
  return (r) => fixedRow(train, r, m.standardisation, formatOf(m.shape), 'train');
}

type Report = import('./audit.js').AuditReport & { readonly repairs?: readonly import('./audit-repair.js').StepRepair[] };

async function audit(dir: string, a: Readonly<Record<string, unknown>>, io: CommandIo, fixedRows: ((row: number) => readonly bigint[]) | undefined): Promise<Report> {
  const mode = a['mode'] as import('./audit.js').AuditMode;
  const rows = fixedRows !== undefined ? { fixedRows } : {};
  if (mode === 'fail-fast' || mode === 'continue') return (await import('./audit.js')).auditProofs(dir, { mode, ...rows });
  const maxAttempts = a['max-attempts'] as number;
  const baseDelayMs = a['backoff-ms'] as number;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new ConfigError(`--max-attempts must be a positive integer, got ${String(maxAttempts)}`, { code: 'USAGE' });
  if (!(baseDelayMs >= 0)) throw new ConfigError(`--backoff-ms must be a non-negative number of milliseconds, got ${String(baseDelayMs)}`, { code: 'USAGE' });
  const [{ auditAndRepair }, { zkCacheDir }] = await Promise.all([import('./audit-repair.js'), import('./artifacts/cache-dir.js')]);
  return auditAndRepair(dir, { mode, cacheDir: zkCacheDir(), maxAttempts, baseDelayMs, log: (m) => io.info(m), ...rows });
}

function printReport(dir: string, report: Report, a: Readonly<Record<string, unknown>>, io: CommandIo, dataChecked: boolean): void {
  const all = a['mode'] !== 'fail-fast';
  const checked = report.ok || all ? `${report.verified}/${report.steps} proofs verify` : `${report.verified} of ${report.steps} proofs verified before the first failure`;
  io.print(`${dir}: ${checked}; batch data ${dataChecked ? 'recomputed from the training split' : 'not checked (no dataset)'}`);
  io.print(`setup: ${report.setup}`);
  const systems = Object.entries(report.systems).map(([k, n]) => `${k} ${n}`).join(', ');
  if (systems !== '') io.print(`proved with: ${systems}`);
  for (const r of report.repairs ?? []) {
    io.print(r.system !== null ? `re-proved step ${r.step} (${r.check}) with ${r.system} in ${r.attempts} attempt(s)` : `could not re-prove step ${r.step} (${r.check}): ${r.error?.message ?? ''}`);
  }
  for (const f of report.failures) io.print(`FAIL ${f.check}: ${f.message}`);
  if (report.ok) io.print(`ok: ${report.steps} steps, chain intact (${report.verifyMs.toFixed(0)} ms)`);
}

async function runAudit(a: Readonly<Record<string, unknown>>, io: CommandIo): Promise<void> {
  const runId = a['run'] as number | undefined;
  const dirArg = a['dir'] as string | undefined;
  if ((runId === undefined) === (dirArg === undefined)) throw new ConfigError('tune audit: give exactly one of --run ID or --dir PROOF_FOLDER', { code: 'USAGE' });
  let dir: string;
  let datasetsDir = String(a['datasets-dir'] ?? 'datasets');
  if (runId !== undefined) {
    const opened = await io.openRun(runId, 'zk');
    dir = join(opened.checkpointDir, 'proofs');
    datasetsDir = opened.datasetsDir;
  } else dir = String(dirArg);
  const [{ AuditFailedError }, { releaseSnarkjs }] = await Promise.all([import('./errors.js'), import('./snark/snarkjs.js')]);
  const fixedRows = a['data'] === false ? undefined : await rowsFor(dir, datasetsDir);
  try {
    const report = await audit(dir, a, io, fixedRows);
    if (io.json) io.printJson(report);
    else printReport(dir, report, a, io, fixedRows !== undefined);
    if (report.firstFailure !== null) throw new AuditFailedError(report.firstFailure.step, `audit failed: ${report.firstFailure.message}`);
  } finally {
    await releaseSnarkjs();
  }
}

export const auditCommand: SubsystemCommand = {
  name: 'audit',
  describe: 'verify every proof of a zk run and its commitment chain; names the first failing step',
  options: {
    run: { type: 'number', describe: 'full-training run id (tune train) whose proofs to audit' },
    dir: { type: 'string', describe: "a proof folder instead (a trial's proof_dir attribute)" },
    mode: {
      type: 'string',
      choices: ['fail-fast', 'continue', 'retry', 'fallback'],
      default: 'fail-fast',
      describe: 'fail-fast: stop at the first failure; continue: list every one; retry: re-prove each step whose proof fails from its stored witness (Groth16, with backoff), then audit again; fallback: as retry, then with PLONK',
    },
    'max-attempts': { type: 'number', default: 5, describe: 'retry/fallback: attempts per system for a retryable proving failure' },
    'backoff-ms': { type: 'number', default: 1000, describe: 'retry/fallback: the first delay between attempts, doubled each time (1 s, 2 s, 4 s, 8 s)' },
    data: { type: 'boolean', default: true, describe: 'recompute batch commitments from the training split when it is there' },
    'datasets-dir': { type: 'string', default: 'datasets', describe: 'datasets root (with --dir)' },
  },
  run: runAudit,
};
