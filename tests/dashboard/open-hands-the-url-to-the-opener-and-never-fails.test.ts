import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBigStudy } from './big-study.js';
import { BROWSER_TEST_MS, startDashboardCli, until } from './browser.js';

test('tune dashboard --open hands the URL to the opener; with no opener it says how to open the page and keeps serving', { timeout: BROWSER_TEST_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-open-'));
  // What the store holds is not the point here: two trials written through the Storage API.
  await writeBigStudy(join(dir, 'o.db'), 'o', 2);
  const storage = `sqlite:${join(dir, 'o.db')}`;
  const opened = join(dir, 'opened.txt');
  const opener = join(dir, 'opener.sh');
  writeFileSync(opener, `#!/bin/sh\necho "$1" > '${opened}'\n`);
  chmodSync(opener, 0o755);
  // Both start at once (each is a `tune` process): one with an opener, one with no xdg-open on PATH and none named.
  const started = await Promise.allSettled([
    startDashboardCli(storage, ['--open'], { PARZEN_OPENER: opener }),
    startDashboardCli(storage, ['--open'], { PARZEN_OPENER: '', PATH: dir }),
  ]);
  try {
    const [withOpener, without] = started.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    await until(() => existsSync(opened) && readFileSync(opened, 'utf8').trim() !== '', 'the opener was called');
    assert.equal(readFileSync(opened, 'utf8').trim(), withOpener.url);
    // Without an opener: a line on stderr, and the page is still served.
    await until(() => /--open: no (xdg-)?open on this machine; open http:\/\/127\.0\.0\.1:\d+\/ in a browser/.test(without.stderr()), `the hint on stderr: ${without.stderr()}`);
    const res = await fetch(`${without.url}api/studies`);
    assert.equal(res.status, 200);
  } finally {
    for (const r of started) if (r.status === 'fulfilled') assert.equal(await r.value.stop(), 0);
  }
});
