import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { StorageError } from '../../src/errors.js';
import { createStudyLogger, prettyPrintLog } from '../../src/tracking/logger.js';

/** A logger writing to a fresh folder, and its file (which must exist). */
function openLog(dir: string): { logger: Logger; file: string } {
  const { logger, file } = createStudyLogger({ dir });
  assert.ok(file !== null, 'the log file is created');
  return { logger, file };
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

test('a log file prints as readable lines with level, message and fields', async (t) => {
  const studyDir = mkdtempSync(join(tmpdir(), 'parzen-pretty-'));
  t.after(() => rmSync(studyDir, { recursive: true, force: true }));
  const { logger, file } = openLog(studyDir);
  logger.info({ trial: 3, value: 0.42 }, 'trial complete');
  logger.error({ trial: 5 }, 'worker crashed');
  appendFileSync(file, 'not json at all\n');
  const out = capture();
  await prettyPrintLog({ file, stream: out.stream });
  const text = out.text();
  assert.match(text, /INFO.*: trial complete\n\s+trial: 3\n\s+value: 0\.42\n/);
  assert.match(text, /ERROR.*: worker crashed\n\s+trial: 5\n/);
  assert.match(text, /not json at all/);
  assert.ok(!text.includes('\u001b['), 'no colour unless asked');
  assert.ok(!text.includes('"level"'), 'no raw JSON left');
});

test('colorize adds ANSI colours for a terminal', async (t) => {
  const studyDir = mkdtempSync(join(tmpdir(), 'parzen-pretty-'));
  t.after(() => rmSync(studyDir, { recursive: true, force: true }));
  const { logger, file } = openLog(studyDir);
  logger.warn('slow trial');
  const out = capture();
  await prettyPrintLog({ file, stream: out.stream, colorize: true });
  assert.ok(out.text().includes('\u001b['));
});

test('a missing log file is a StorageError naming the path', async () => {
  const out = capture();
  await assert.rejects(
    prettyPrintLog({ file: '/nonexistent/parzen/x.log', stream: out.stream }),
    (e: unknown) => e instanceof StorageError && e.message.includes('/nonexistent/parzen/x.log'),
  );
});
