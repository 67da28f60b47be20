import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open.js';
import { startDashboard } from '../../src/dashboard/server.js';
import { staticName } from '../../src/dashboard/security.js';
import { writeBigStudy } from './big-study.js';
import { ensureDashboardBuilt } from './browser.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw request (fetch would normalise the path and refuse to set Host). */
function get(port: number, path: string, o: { host?: string; method?: string; cookie?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: o.host ?? `127.0.0.1:${port}` };
    if (o.cookie !== undefined) headers.cookie = o.cookie;
    const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One small store for the file's tests (the guards, not the study, are the point): study 'q', 4 trials. */
const STORE = (async (): Promise<string> => {
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-guards-')), 'q.db');
  await writeBigStudy(file, 'q', 4);
  return `sqlite:${file}`;
})();

async function withStore(fn: (storageUrl: string) => Promise<void>): Promise<void> {
  ensureDashboardBuilt();
  await fn(await STORE);
}

test('on 127.0.0.1: no token, a foreign Host header is refused, only GET/HEAD, no CORS, paths cannot leave the app', async () => {
  await withStore(async (url) => {
    const storage = await openStorage(url, { readOnly: true });
    const d = await startDashboard({ storage, host: '127.0.0.1', port: 0 });
    const port = Number(new URL(d.url).port);
    try {
      assert.equal(d.token, null);
      const ok = await get(port, '/api/studies');
      assert.equal(ok.status, 200);
      assert.equal((JSON.parse(ok.body) as { name: string }[])[0].name, 'q');
      assert.equal(ok.headers['access-control-allow-origin'], undefined, 'no CORS header');
      assert.match(String(ok.headers['content-security-policy']), /default-src 'self'/);
      assert.equal((await get(port, '/api/studies', { host: 'evil.example:80' })).status, 403, 'DNS rebinding: foreign Host refused');
      assert.equal((await get(port, '/api/studies', { host: `localhost:${port}` })).status, 200);
      assert.equal((await get(port, '/api/studies', { method: 'POST' })).status, 405);
      assert.equal((await get(port, '/api/studies', { method: 'DELETE' })).status, 405);
      for (const evil of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/app.js%00.html', '/%5c..%5cpackage.json', '/%zz']) {
        const r = await get(port, evil);
        assert.equal(r.status, 404, evil);
        assert.doesNotMatch(r.body, /root:/);
      }
      assert.equal((await get(port, '/app.js')).status, 200);
      assert.equal((await get(port, '/api/studies/nope/trials')).status, 404);
      // Targets that are no plain path ('//' once threw out of the handler and ended the server): answered, and the
      // server goes on.
      assert.equal((await get(port, '//')).status, 200, "'//' is the app's page, as '/' is");
      for (const odd of ['//evil.example/x', '*']) assert.equal((await get(port, odd)).status, 404, odd);
      assert.equal((await get(port, '/api/studies')).status, 200, 'still serving');
    } finally {
      await d.close();
      await storage.close();
    }
  });
});

test('on any other address the printed token is required: by ?token= once (which sets a cookie), then the cookie', async () => {
  await withStore(async (url) => {
    const storage = await openStorage(url, { readOnly: true });
    const d = await startDashboard({ storage, host: '0.0.0.0', port: 0 });
    const port = Number(new URL(d.url).port);
    try {
      assert.ok(d.token !== null && d.token.length >= 32, 'a long random token');
      assert.ok(d.url.endsWith(`?token=${d.token}`));
      const refused = await get(port, '/api/studies');
      assert.equal(refused.status, 403);
      assert.match(refused.body, /token/);
      assert.equal((await get(port, '/api/studies?token=wrong')).status, 403);
      const first = await get(port, `/?token=${d.token}`);
      assert.equal(first.status, 200);
      const cookie = String(first.headers['set-cookie']).split(';')[0];
      assert.match(String(first.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
      assert.equal((await get(port, '/api/studies', { cookie })).status, 200);
      const other = await startDashboard({ storage, host: '0.0.0.0', port: 0 });
      assert.notEqual(other.token, d.token, 'a fresh token each start');
      await other.close();
    } finally {
      await d.close();
      await storage.close();
    }
  });
});

test('static names are normalised inside the app folder or refused', () => {
  assert.equal(staticName('/'), 'index.html');
  assert.equal(staticName('/app.js'), 'app.js');
  assert.equal(staticName('/a/./b//app.css'), 'a/b/app.css');
  assert.equal(staticName('/a/b/../app.css'), undefined);
  assert.equal(staticName('/../x'), undefined);
  assert.equal(staticName('/%2e%2e/x'), undefined);
  assert.equal(staticName('/a%5cb'), undefined);
  assert.equal(staticName('/a%00'), undefined);
  assert.equal(staticName('/%E0%A4%A'), undefined);
});
