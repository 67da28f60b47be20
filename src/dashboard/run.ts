import type { CliState } from '../cli/state.js';
import { startDashboard } from './server.js';
import { openInBrowser } from './open-browser.js';

/**
 * `tune dashboard`: open the store read-only (never a write lock: a running study goes on undisturbed), serve
 * until SIGINT/SIGTERM, then close. Returns normally; bin.ts sets the exit status.
 */
export async function runDashboard(o: { storage?: string; config?: string; host: string; port: number; open?: boolean; state: CliState }): Promise<void> {
  const { resolveStorageUrl } = await import('../runner/tune.js');
  const { openStorage } = await import('../storage/open.js');
  const storage = await openStorage(await resolveStorageUrl(o), { readOnly: true, create: false });
  try {
    const d = await startDashboard({ storage, host: o.host, port: o.port });
    process.stdout.write(`parzen dashboard (read-only) for ${storage.url}: ${d.url}\n`);
    if (d.token !== null) process.stdout.write(`access token (needed on ${o.host}): ${d.token}\n`);
    if (o.open === true) openInBrowser(d.url);
    await untilSignal();
    await d.close();
  } finally {
    await storage.close();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
