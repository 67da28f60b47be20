import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open.js';
import { studyPlotSvg } from '../../src/dashboard/static-plot.js';
import { writePng } from '../../src/dashboard/svg-to-png.js';
import { PLOTS_STUDY, writeStudyWithRun } from './study-with-runs.js';

test('the static plots draw slice, edf, timeline and the pair heat map (default pair: the two most important); a PARZEN_CHROMIUM that is not there is named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-static-'));
  await writeStudyWithRun(join(dir, 's.db'), 60);
  const storage = await openStorage(`sqlite:${join(dir, 's.db')}`, { readOnly: true });
  try {
    const expect = { slice: [/>lr</, />dropout</, />act</, />layers</], edf: [/share of trials/], timeline: [/host-a:0/, /host-a:2/, /COMPLETE/, /PRUNED/], heatmap: [/>lr</] } as const;
    for (const [kind, marks] of Object.entries(expect)) {
      const svg = await studyPlotSvg(storage, { study: PLOTS_STUDY, kind: kind as keyof typeof expect });
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, kind);
      for (const m of marks) assert.match(svg, m, `${kind} shows ${m}`);
      assert.ok((svg.match(/<path/g) ?? []).length > 5, `${kind} draws marks`);
    }
    const pruned = await studyPlotSvg(storage, { study: PLOTS_STUDY, kind: 'timeline', excludePruned: true, excludeFailed: true });
    assert.doesNotMatch(pruned, /PRUNED|FAIL/, 'excluded states leave the timeline');
    await assert.rejects(studyPlotSvg(storage, { study: PLOTS_STUDY, kind: 'heatmap', pair: ['lr', 'nope'] }), /no param 'nope'; its params are act, dropout, layers, lr/);
  } finally {
    await storage.close();
  }
  const before = process.env.PARZEN_CHROMIUM;
  process.env.PARZEN_CHROMIUM = join(dir, 'no-such-chromium');
  try {
    await assert.rejects(writePng('<svg xmlns="http://www.w3.org/2000/svg"/>', join(dir, 'x.png'), 100, 100), /PARZEN_CHROMIUM=.*no-such-chromium: no such file/);
    assert.equal(existsSync(join(dir, 'x.png')), false);
  } finally {
    if (before === undefined) delete process.env.PARZEN_CHROMIUM;
    else process.env.PARZEN_CHROMIUM = before;
  }
});
