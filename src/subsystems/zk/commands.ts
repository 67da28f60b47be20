/**
 * `tune audit`: verifies every proof of a zk run (`--run ID`, the proofs of `tune train`) or of any proof folder
 * (`--dir`, e.g. a trial's `proof_dir` attribute) and the commitment chain, and names the first failing step; with
 * the dataset at hand it also recomputes each published batch commitment from the training rows. Exit 1 when any
 * check fails. Loads snarkjs only when run.
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
  const [{ auditProofs }, { AuditFailedError }, { releaseSnarkjs }] = await Promise.all([import('./audit.js'), import('./errors.js'), import('./snark/snarkjs.js')]);
  const fixedRows = a['data'] === false ? undefined : await rowsFor(dir, datasetsDir);
  try {
    const report = await auditProofs(dir, { mode: a['mode'] === 'continue' ? 'continue' : 'fail-fast', ...(fixedRows !== undefined ? { fixedRows } : {}) });
    if (io.json) io.printJson(report);
    else {
      const checked = report.ok || a['mode'] === 'continue' ? `${report.verified}/${report.steps} proofs verify` : `${report.verified} of ${report.steps} proofs verified before the first failure`;
      io.print(`${dir}: ${checked}; batch data ${fixedRows !== undefined ? 'recomputed from the training split' : 'not checked (no dataset)'}`);
      io.print(`setup: ${report.setup}`);
      const systems = Object.entries(report.systems).map(([k, n]) => `${k} ${n}`).join(', ');
      if (systems !== '') io.print(`proved with: ${systems}`);
      for (const f of report.failures) io.print(`FAIL ${f.check}: ${f.message}`);
      if (report.ok) io.print(`ok: ${report.steps} steps, chain intact (${report.verifyMs.toFixed(0)} ms)`);
    }
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
    mode: { type: 'string', choices: ['fail-fast', 'continue'], default: 'fail-fast', describe: 'stop at the first failure or list every one' },
    data: { type: 'boolean', default: true, describe: 'recompute batch commitments from the training split when it is there' },
    'datasets-dir': { type: 'string', default: 'datasets', describe: 'datasets root (with --dir)' },
  },
  run: runAudit,
};
