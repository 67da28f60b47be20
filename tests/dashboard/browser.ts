import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BIN } from '../cli/cli.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Headless Debian Chromium through playwright-core (loaded here only: the CLI never loads it). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the dashboard's browser tests drive Debian's Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * How long any one wait on the page may take. The waits are on conditions (a selector, a count), never sleeps, so a
 * quiet machine passes them in milliseconds; the bound is only there to end a broken test, and is generous because
 * the suite must pass with both cores loaded (playwright's own default, 30 s, is not enough then).
 */
export const PAGE_WAIT_MS = 180_000;

/** A test's whole time limit: never what a test needs on a quiet machine, only a bound for a stuck one. */
export const BROWSER_TEST_MS = 600_000;

/**
 * A page of `browser` 1280 px wide with the generous wait bound. `bypassCSP`: the page's CSP forbids eval, and the
 * tests' checks are evaluated page-side from strings (they have no DOM types).
 */
export async function openPage(browser: Browser, height = 1000): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height }, bypassCSP: true });
  page.setDefaultTimeout(PAGE_WAIT_MS);
  return page;
}

/** Resolves once `ok()` holds, checking every 50 ms; fails naming `what` after PAGE_WAIT_MS. */
export async function until(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + PAGE_WAIT_MS;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!ok()) throw new Error(`gave up waiting: ${what}`);
}

/** Builds the page bundle when this checkout has not (the tests run on dist/, which `npm test` builds first). */
export function ensureDashboardBuilt(): void {
  if (existsSync(resolve('dist/src/dashboard/public/app.js'))) return;
  const r = spawnSync(process.execPath, ['scripts/build-dashboard.mjs'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the dashboard failed:\n${r.stderr}`);
}

export interface RunningDashboard {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<number | null>;
}

/** The real `tune dashboard --port 0` in a child process; resolves with the URL it prints. */
export function startDashboardCli(storage: string, extra: readonly string[] = [], env: Readonly<Record<string, string>> = {}): Promise<RunningDashboard & { stderr(): string }> {
  const child = spawn(process.execPath, [BIN, 'dashboard', '--storage', storage, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/\S+)/.exec(out);
      if (m !== null) res({ url: m[1], child, stop: () => (child.kill('SIGTERM'), exited), stderr: () => err });
    });
    void exited.then((code) => rej(new Error(`tune dashboard exited (${code}) before printing its URL:\n${out}${err}`)));
  });
}
