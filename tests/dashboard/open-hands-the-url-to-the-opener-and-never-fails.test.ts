import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempStore, tune, fixture } from '../cli/cli.js';
import { startDashboardCli } from './browser.js';

const until = async (ok: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(ok(), what);
};

test('tune dashboard --open hands the URL to the opener; with no opener it says how to open the page and keeps serving', { timeout: 60_000 }, async () => {
  const storage = tempStore();
  assert.equal(tune(['--objective', fixture('quadratic'), '--study', 'o', '--trials', '2', '--storage', storage]).status, 0);
  const dir = mkdtempSync(join(tmpdir(), 'parzen-open-'));
  const opened = join(dir, 'opened.txt');
  const opener = join(dir, 'opener.sh');
  writeFileSync(opener, `#!/bin/sh\necho "$1" > '${opened}'\n`);
  chmodSync(opener, 0o755);
  const withOpener = await startDashboardCli(storage, ['--open'], { PARZEN_OPENER: opener });
  try {
    await until(() => existsSync(opened) && readFileSync(opened, 'utf8').trim() !== '', 'the opener was called');
    assert.equal(readFileSync(opened, 'utf8').trim(), withOpener.url);
  } finally {
    assert.equal(await withOpener.stop(), 0);
  }
  // No xdg-open on PATH (and none named): a line on stderr, and the page is still served.
  const without = await startDashboardCli(storage, ['--open'], { PARZEN_OPENER: '', PATH: dir });
  try {
    await until(() => /--open: no (xdg-)?open on this machine; open http:\/\/127\.0\.0\.1:\d+\/ in a browser/.test(without.stderr()), `the hint on stderr: ${without.stderr()}`);
    const res = await fetch(`${without.url}api/studies`);
    assert.equal(res.status, 200);
  } finally {
    assert.equal(await without.stop(), 0);
  }
});
