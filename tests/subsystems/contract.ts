/**
 * The subsystem contract: every subsystem passes this suite (as every store passes tests/storage/contract.ts).
 * A subsystem's test file calls `subsystemContract` with a fixture; a new subsystem joins by adding that file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ParzenError, TrialPruned } from '../../src/errors.js';
import { validateSpace } from '../../src/space/distributions.js';
import { trainingBudget } from '../../src/subsystems/budget.js';
import type { Subsystem } from '../../src/subsystems/subsystem.js';
import { recorder } from './recorder.js';

export interface SubsystemFixture {
  readonly subsystem: Subsystem;
  /** A datasets root holding a tiny real dataset the objective trains on in seconds. */
  tinyDatasets(): Promise<string>;
  /** Params over `defaults.full` that make a trial take seconds. */
  readonly tinyParams: Readonly<Record<string, unknown>>;
  /** A field whose value is invalid: the error must name `key`. */
  readonly badParam: { readonly key: string; readonly value: unknown };
  /** Keys full training's test results must hold. */
  readonly testResultKeys: readonly string[];
}

/** The per-epoch records: those holding `val_loss` or the subsystem's own metric (per-step series hold neither). */
function epochRecords(r: { readonly metrics: ReadonlyArray<readonly [number, Readonly<Record<string, number>>]> }, metric: string): unknown[] {
  return r.metrics.filter(([, v]) => Object.hasOwn(v, 'val_loss') || Object.hasOwn(v, metric));
}

function snapshot(dir: string): string[] {
  return readdirSync(dir).sort().map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`);
}

export function subsystemContract(f: SubsystemFixture): void {
  const name = f.subsystem.name;

  test(`${name}: its declaration is valid (space, metric, direction, budgets, full defaults)`, () => {
    const s = f.subsystem;
    validateSpace(`${name}.defaultSpace`, s.defaultSpace);
    assert.ok(s.metric.length > 0 && s.description.length > 0);
    assert.ok(s.direction === 'minimize' || s.direction === 'maximize');
    assert.deepEqual(trainingBudget({}, s.defaults.tuning), s.defaults.tuning);
    assert.ok(Number.isSafeInteger(s.defaults.full.epochs) && s.defaults.full.epochs > 0);
    for (const key of Object.keys(s.defaultSpace)) assert.ok(Object.hasOwn(s.defaults.full, key), `defaults.full lacks the tuned '${key}'`);
  });

  test(`${name}: a trial respects the epoch and batch caps, reports per epoch and returns a finite value`, async () => {
    const dir = await f.tinyDatasets();
    const r = recorder(dir, { budget: { epochs: 2, batchCap: 2 } });
    const value = await f.subsystem.objective(f.tinyParams, r.ctx);
    assert.ok(Number.isFinite(value), `value ${value}`);
    assert.deepEqual(r.reports.map(([step]) => step), [1, 2]);
    // Per-epoch records hold val_loss or the metric; a subsystem may also store per-step series (other names, keyed by step).
    assert.equal(epochRecords(r, f.subsystem.metric).length, 2);
    for (const [, v] of r.reports) assert.ok(Number.isFinite(v));
    assert.ok(r.progress.length > 0, 'no progress reported');
    for (const p of r.progress) {
      assert.ok((p.batch ?? 0) <= 2 && (p.batches ?? 0) <= 2, `batch ${p.batch}/${p.batches} past the cap of 2`);
      assert.ok((p.epoch ?? 0) <= 2);
    }
    assert.equal(r.progress.filter((p) => p.epoch === 1).length, 2, 'each capped epoch runs exactly batchCap steps');
  });

  test(`${name}: a trial stops with TrialPruned after the epoch the pruner rejects`, async () => {
    const dir = await f.tinyDatasets();
    const r = recorder(dir, { budget: { epochs: 3, batchCap: 1 }, prune: () => true });
    await assert.rejects(f.subsystem.objective(f.tinyParams, r.ctx), (e: unknown) => e instanceof TrialPruned);
    assert.equal(r.reports.length, 1);
  });

  test(`${name}: an aborted trial ends INTERRUPTED, not COMPLETE`, async () => {
    const dir = await f.tinyDatasets();
    const controller = new AbortController();
    controller.abort();
    const r = recorder(dir, { budget: { epochs: 2, batchCap: 2 }, signal: controller.signal });
    await assert.rejects(f.subsystem.objective(f.tinyParams, r.ctx), (e: unknown) => e instanceof ParzenError && e.code === 'INTERRUPTED');
  });

  test(`${name}: a bad param is a ConfigError naming the field`, async () => {
    const dir = await f.tinyDatasets();
    const { key, value } = f.badParam;
    await assert.rejects(
      f.subsystem.objective({ ...f.tinyParams, [key]: value }, recorder(dir).ctx),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${key}:`) && e.message.includes(`subsystems.${name}`),
    );
  });

  test(`${name}: validateConfig accepts the full defaults and rejects a bad value naming the field`, (t) => {
    const validate = f.subsystem.validateConfig;
    if (validate === undefined) return t.skip('the subsystem has no validateConfig (optional)');
    validate({});
    validate({ ...f.tinyParams, epochs: 2 });
    const { key, value } = f.badParam;
    assert.throws(() => validate({ [key]: value }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${key}:`));
    assert.throws(() => validate({ epochs: 0 }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('epochs:'));
  });

  test(`${name}: prepare builds the default dataset once and then keeps it`, async () => {
    const root = mkdtempSync(join(tmpdir(), `parzen-prepare-${name}-`));
    const first = await f.subsystem.datasets.prepare({ datasetsDir: root, seed: 7, log: () => undefined });
    assert.equal(first.generated, true);
    assert.equal(first.dir, join(root, name));
    const before = snapshot(first.dir);
    const second = await f.subsystem.datasets.prepare({ datasetsDir: root, seed: 7, log: () => undefined });
    assert.deepEqual({ generated: second.generated, reason: second.reason }, { generated: false, reason: null });
    assert.deepEqual(snapshot(first.dir), before, 'a second prepare must not rewrite the dataset');
  });

  test(`${name}: full training returns test results and writes best and last checkpoints`, async () => {
    const dir = await f.tinyDatasets();
    const checkpointDir = mkdtempSync(join(tmpdir(), `parzen-run-${name}-`));
    const r = recorder(dir);
    const out = await f.subsystem.fullTrain({ ...f.tinyParams, epochs: 2 }, r.fullTrainContext(checkpointDir));
    assert.ok(Number.isFinite(out.value));
    for (const k of f.testResultKeys) assert.ok(Object.hasOwn(out.result, k), `result lacks ${k}`);
    assert.ok(epochRecords(r, f.subsystem.metric).length >= 1 && epochRecords(r, f.subsystem.metric).length <= 2);
    for (const file of ['best.json', 'last.json']) assert.ok(existsSync(join(checkpointDir, file)), `${file} missing`);
  });
}
