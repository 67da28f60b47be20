import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open.js';
import { findRunSource } from '../../src/study/queries.js';
import { answerApi } from '../../src/dashboard/api.js';
import { PLOTS_STUDY, writeStudyWithRun } from './study-with-runs.js';

test("a full-training run finds the study trial it recorded, or for a run stored without one the trial whose params it trained with; a run of an unknown study has none; /api/runs/:id answers 404 for a missing run", async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-run-source-')), 'runs.db');
  const { best, runId, legacyRunId } = await writeStudyWithRun(file, 40);
  const storage = await openStorage(`sqlite:${file}`, { readOnly: true });
  try {
    const run = await storage.getRun(runId);
    assert.equal(run.trialNumber, best);
    const recorded = await findRunSource(storage, run);
    assert.deepEqual([recorded?.study.name, recorded?.matchedBy, recorded?.trial?.number, recorded?.best?.number], [PLOTS_STUDY, 'recorded', best, best]);
    // The recorded number wins over the params: a run that trained trial 0 says so even though its params are the best's.
    assert.equal((await findRunSource(storage, { ...run, trialNumber: 0 }))?.trial?.number, 0);
    // A recorded trial that is gone is reported missing, not replaced by a param match.
    const gone = await findRunSource(storage, { ...run, trialNumber: 4000 });
    assert.deepEqual([gone?.matchedBy, gone?.trial], ['recorded', null]);

    // A run stored before runs recorded their trial: found by its params, and labelled so.
    const legacy = await storage.getRun(legacyRunId);
    assert.equal(legacy.trialNumber, null);
    const matched = await findRunSource(storage, legacy);
    assert.deepEqual([matched?.matchedBy, matched?.trial?.number], ['params', best]);
    // Another trial's params, or a config that lost one of them, match no trial.
    assert.equal((await findRunSource(storage, { ...legacy, config: { ...legacy.config, lr: 0.5 } }))?.trial, null);
    assert.equal(await findRunSource(storage, { ...run, studyName: 'gone' }), undefined);
    assert.equal(await findRunSource(storage, { ...legacy, studyName: null }), undefined);

    const answer = await answerApi(storage, ['api', 'runs', String(runId)]);
    assert.equal(answer?.status, 200);
    const body = answer?.body as { run: { trialNumber: number }; source: { matchedBy: string; trial: { number: number } } };
    assert.deepEqual([body.run.trialNumber, body.source.matchedBy, body.source.trial.number], [best, 'recorded', best]);
    const legacyAnswer = (await answerApi(storage, ['api', 'runs', String(legacyRunId)]))?.body as { source: { matchedBy: string } };
    assert.equal(legacyAnswer.source.matchedBy, 'params');
    const missing = await answerApi(storage, ['api', 'runs', '999']);
    assert.equal(missing?.status, 404);
    assert.match(JSON.stringify(missing?.body), /run 999 does not exist/);
  } finally {
    await storage.close();
  }
});
