import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDashboardCli } from '../dashboard/browser.js';
import { pgTestDatabase } from '../storage/pg-server.js';
import { fixture, tune } from './cli.js';

const db = await pgTestDatabase();

interface TrialJson {
  number: number;
  state: string;
  value: number;
  params: Record<string, number>;
}

test('on a postgresql:// store, export-baseline writes the best trial’s params and the dashboard serves the study and its trials', async () => {
  const url = db.freshStoreUrl();
  const ran = tune(['--objective', fixture('quadratic'), '--trials', '8', '--study', 'e', '--seed', '3', '--workers', '0', '--storage', url]);
  assert.equal(ran.status, 0, ran.stderr);
  const best = JSON.parse(tune(['best', '--study', 'e', '--json', '--storage', url]).stdout) as TrialJson;

  const out = join(mkdtempSync(join(tmpdir(), 'parzen-pg-baseline-')), 'e.json');
  const exported = tune(['export-baseline', '--study', 'e', '--out', out, '--storage', url]);
  assert.equal(exported.status, 0, exported.stderr);
  const baseline = JSON.parse(readFileSync(out, 'utf8')) as { params: Record<string, number>; provenance: { study: string; trialNumber: number; value: number } };
  assert.deepEqual(baseline.params, best.params);
  assert.deepEqual([baseline.provenance.study, baseline.provenance.trialNumber, baseline.provenance.value], ['e', best.number, best.value]);

  const dashboard = await startDashboardCli(url);
  try {
    const studies = (await (await fetch(`${dashboard.url}api/studies`)).json()) as { name: string; counts: Record<string, number> }[];
    assert.deepEqual(studies.map((s) => [s.name, s.counts.COMPLETE]), [['e', 8]]);
    const res = await fetch(`${dashboard.url}api/studies/e/trials`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { study: { name: string }; trials: { n: number; s: string; v: number; p: Record<string, unknown> }[] };
    assert.equal(body.study.name, 'e');
    assert.deepEqual(body.trials.map((t) => [t.n, t.s]), Array.from({ length: 8 }, (_, n) => [n, 'COMPLETE']));
    assert.deepEqual(body.trials[best.number].p, best.params);
  } finally {
    await dashboard.stop();
  }
});
