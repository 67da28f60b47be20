import { spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * PNG output of `tune plot`: the SVG ECharts drew, rasterised by a headless Chromium (`--screenshot`), the one
 * renderer on hand that draws ECharts' SVG text and paths exactly as a browser shows them. No Chromium, a clear
 * error naming how to get one (or to write .svg); nothing is half-written.
 */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The Chromium to use: $PARZEN_CHROMIUM, else the first of CANDIDATES on PATH; undefined when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PARZEN_CHROMIUM !== undefined && env.PARZEN_CHROMIUM !== '') return env.PARZEN_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
    for (const name of CANDIDATES) {
      const file = join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false; // not there, or not runnable: the next candidate
  }
}

/** Writes `svg` (width × height pixels) as the PNG file `out`. */
export async function writePng(svg: string, out: string, width: number, height: number, timeoutMs = 180_000): Promise<void> {
  const chromium = findChromium();
  if (chromium === undefined) throw new ConfigError(`--out ${out}: a PNG is rasterised by headless Chromium and none was found (looked for ${CANDIDATES.join(', ')} on PATH); install it (\`apt-get install chromium\`), point PARZEN_CHROMIUM at one, or write --out *.svg`, { code: 'USAGE' });
  if (!existsSync(chromium)) throw new ConfigError(`PARZEN_CHROMIUM=${chromium}: no such file; point it at a Chromium or Chrome binary`, { code: 'USAGE' });
  const dir = mkdtempSync(join(tmpdir(), 'parzen-plot-'));
  try {
    const page = join(dir, 'plot.svg');
    writeFileSync(page, svg);
    const shot = join(dir, 'plot.png');
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--disable-background-networking', `--user-data-dir=${join(dir, 'profile')}`, `--window-size=${width},${height}`, `--screenshot=${shot}`, `file://${page}`];
    const { code, stderr } = await run(chromium, args, timeoutMs);
    if (code !== 0 || !existsSync(shot)) throw new ConfigError(`--out ${out}: ${chromium} did not rasterise the plot (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}; write --out *.svg instead`);
    try {
      copyFileSync(shot, resolve(out));
    } catch (e) {
      throw new ConfigError(`--out ${out}: cannot write it (${e instanceof Error ? e.message : String(e)}); check that its folder exists and is writable`, { code: 'USAGE', cause: e });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (e) => res({ code: -1, stderr: e.message }));
    child.on('close', (code) => res({ code, stderr }));
  });
}
