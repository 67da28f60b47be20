import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The opener of this platform: `open` on macOS, `xdg-open` elsewhere ($PARZEN_OPENER overrides; tests use it). */
function opener(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PARZEN_OPENER !== undefined && env.PARZEN_OPENER !== '') return env.PARZEN_OPENER;
  const name = process.platform === 'darwin' ? 'open' : 'xdg-open';
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder: try the next one on PATH
    }
  }
  return undefined;
}

/**
 * `tune dashboard --open`: hands the URL to the desktop's opener, detached, and never fails the dashboard: with no
 * opener, or one that cannot start, it says so on stderr and the printed URL stays the way in.
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): void {
  const cmd = opener(env);
  if (cmd === undefined) {
    process.stderr.write(`--open: no ${process.platform === 'darwin' ? 'open' : 'xdg-open'} on this machine; open ${url} in a browser\n`);
    return;
  }
  const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
  child.on('error', (e) => process.stderr.write(`--open: ${cmd} could not start (${e.message}); open ${url} in a browser\n`));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`--open: ${cmd} exited ${code}; open ${url} in a browser\n`);
  });
  child.unref();
  process.stderr.write(`--open: asked ${cmd} to open the page\n`);
}
