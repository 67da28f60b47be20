import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open.js';
import { findRunSource } from '../../src/study/queries.js';
import { answerApi } from '../../src/dashboard/api.js';
import { PLOTS_STUDY, writeStudyWithRun } from './study-with-runs.js';

test("a full-training run finds the study trial whose params it trained with; a run of an unknown study has none; /api/runs/:id answers 404 for a missing run", async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-run-source-')), 'runs.db');
  const { best, runId } = await writeStudyWithRun(file, 40);
  const storage = await openStorage(`sqlite:${file}`, { readOnly: true });
  try {
    const run = await storage.getRun(runId);
    const source = await findRunSource(storage, run);
    assert.equal(source?.study.name, PLOTS_STUDY);
    assert.equal(source?.trial?.number, best);
    assert.equal(source?.best?.number, best);
    // Another trial's params, or a config that lost one of them, match no trial.
    assert.equal((await findRunSource(storage, { ...run, config: { ...run.config, lr: 0.5 } }))?.trial, null);
    assert.equal(await findRunSource(storage, { ...run, studyName: 'gone' }), undefined);
    assert.equal(await findRunSource(storage, { ...run, studyName: null }), undefined);
    const answer = await answerApi(storage, ['api', 'runs', String(runId)]);
    assert.equal(answer?.status, 200);
    assert.equal((answer?.body as { source: { trial: { number: number } } }).source.trial.number, best);
    const missing = await answerApi(storage, ['api', 'runs', '999']);
    assert.equal(missing?.status, 404);
    assert.match(JSON.stringify(missing?.body), /run 999 does not exist/);
  } finally {
    await storage.close();
  }
});
