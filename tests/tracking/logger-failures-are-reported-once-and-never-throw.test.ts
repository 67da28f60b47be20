import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudyLogger } from '../../src/tracking/logger.js';

interface Reported {
  readonly message: string;
  readonly cause: Error;
}

function reports(): { onFailure: (message: string, cause: Error) => void; seen: Reported[] } {
  const seen: Reported[] = [];
  return { seen, onFailure: (message, cause) => seen.push({ message, cause }) };
}

function scratch(t: { after(fn: () => void): void }): string {
  const root = mkdtempSync(join(tmpdir(), 'parzen-log-faults-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

test('a log folder that cannot be created is reported once, naming the file and the error, and logging goes on silently', (t) => {
  const root = scratch(t);
  // A regular file where the folder should be: mkdir fails (ENOTDIR) whoever runs the test, root included.
  writeFileSync(join(root, 'tuning.db.logs'), 'not a folder');
  const dir = join(root, 'tuning.db.logs', 'study');
  const r = reports();
  const { logger, file } = createStudyLogger({ dir, onFailure: r.onFailure, startedAt: new Date('2025-01-01T00:00:00.000Z') });
  assert.equal(file, null);
  logger.info('still callable');
  logger.error({ trial: 1 }, 'and never throws');
  assert.equal(r.seen.length, 1);
  assert.equal((r.seen[0].cause as NodeJS.ErrnoException).code, 'ENOTDIR');
  assert.ok(r.seen[0].message.includes(join(dir, '2025-01-01T00-00-00.000Z.log')), r.seen[0].message);
  assert.match(r.seen[0].message, /ENOTDIR.*this run writes no log file and goes on/);
  assert.ok(!r.seen[0].message.includes('\n'), 'one paragraph');
});

test('a write that fails (a full disk: the file is /dev/full) is reported once and the lines after it are dropped, never thrown', (t) => {
  const dir = scratch(t);
  const r = reports();
  const { logger, file } = createStudyLogger({ dir, onFailure: r.onFailure });
  assert.ok(file !== null);
  logger.info('written before the disk fills');
  assert.match(readFileSync(file, 'utf8'), /written before the disk fills/);
  // Lines are appended by path, so the next one goes to /dev/full, whose writes fail with ENOSPC.
  unlinkSync(file);
  symlinkSync('/dev/full', file);
  logger.info('lost: no space');
  logger.warn('lost too, and not reported again');
  assert.equal(r.seen.length, 1);
  assert.equal((r.seen[0].cause as NodeJS.ErrnoException).code, 'ENOSPC');
  assert.ok(r.seen[0].message.includes(file), r.seen[0].message);
  assert.match(r.seen[0].message, /ENOSPC.*logging to it stopped and the study goes on/);
  assert.ok(lstatSync(file).isSymbolicLink());
});

test('a log file moved away mid-run is recreated at its path by the next line', (t) => {
  const dir = scratch(t);
  const r = reports();
  const { logger, file } = createStudyLogger({ dir, onFailure: r.onFailure });
  assert.ok(file !== null);
  logger.info('first');
  unlinkSync(file);
  logger.info('second');
  assert.match(readFileSync(file, 'utf8'), /second/);
  assert.deepEqual(r.seen, []);
});

test('dir null (a memory: store) writes no file and reports nothing', () => {
  const r = reports();
  const { logger, file } = createStudyLogger({ dir: null, onFailure: r.onFailure });
  logger.info('nowhere');
  assert.equal(file, null);
  assert.deepEqual(r.seen, []);
});
