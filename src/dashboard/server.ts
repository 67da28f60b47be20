import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Storage } from '../storage/storage.js';
import { listStudyOverviews } from '../study/queries.js';
import { answerApi, toCompactJson } from './api.js';
import { LiveChanges } from './live.js';
import { accessPolicy, checkRequest, SECURITY_HEADERS, staticName, TOKEN_COOKIE, type AccessPolicy } from './security.js';
import { loadStaticFiles, type StaticFile } from './static-files.js';

export interface DashboardOptions {
  /** Opened read-only by the caller. */
  readonly storage: Storage;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly pollMs?: number;
  /** Where the built page is (default: beside this module). */
  readonly publicDir?: string;
}

export interface DashboardServer {
  /** What to open, with `?token=` when one is needed. */
  readonly url: string;
  readonly token: string | null;
  close(): Promise<void>;
}

/**
 * Starts the dashboard's HTTP server: the page, the JSON API and the live change stream, all read-only.
 * @example const d = await startDashboard({ storage, host: '127.0.0.1', port: 0 }); console.log(d.url); await d.close();
 */
export async function startDashboard(o: DashboardOptions): Promise<DashboardServer> {
  const files = loadStaticFiles(o.publicDir);
  // Reading every study once fills the store's cache of finished trials (immutable), so the first page a user
  // opens reads only what changed since, not 10,000 trials from disk.
  await listStudyOverviews(o.storage);
  const live = new LiveChanges(o.storage, o.pollMs);
  let policy: AccessPolicy = accessPolicy(o.host, o.port);
  const server = createServer((req, res) => {
    // handle() answers its own failures; this is the net under it, so no request can end the server.
    handle({ req, res, policy, files, live, storage: o.storage }).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      else res.destroy();
    });
  });
  await listen(server, o.host, o.port);
  const port = (server.address() as AddressInfo).port;
  if (o.port === 0) policy = { ...accessPolicy(o.host, port), token: policy.token };
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
  const url = `http://${shownHost}:${port}/${policy.token === null ? '' : `?token=${policy.token}`}`;
  return {
    url,
    token: policy.token,
    close: async () => {
      live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly policy: AccessPolicy;
  readonly files: ReadonlyMap<string, StaticFile>;
  readonly live: LiveChanges;
  readonly storage: Storage;
}

async function handle(c: Ctx): Promise<void> {
  // The request target is a path; read against a fixed origin it is never taken for a URL of its own ('//x' would be a
  // host), and a target that is not a path ('http://…', '*') only finds no file.
  const target = c.req.url ?? '/';
  const url = new URL(`http://dashboard.invalid${target.startsWith('/') ? '' : '/'}${target}`);
  const verdict = checkRequest(c.req, url, c.policy);
  if (!verdict.ok) return send(c.res, verdict.status, 'text/plain; charset=utf-8', `${verdict.reason}\n`);
  const headers: Record<string, string> = { ...SECURITY_HEADERS };
  if (verdict.setCookie && c.policy.token !== null) headers['set-cookie'] = `${TOKEN_COOKIE}=${c.policy.token}; HttpOnly; SameSite=Strict; Path=/`;
  try {
    if (url.pathname === '/api/events') return c.live.add(c.res, headers);
    if (url.pathname.startsWith('/api/')) {
      const path = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
      const answer = await answerApi(c.storage, path);
      if (answer === undefined) return send(c.res, 404, 'application/json', '{"error":"no such API route"}', headers);
      return send(c.res, answer.status, 'application/json; charset=utf-8', toCompactJson(answer.body), headers);
    }
    const name = staticName(url.pathname);
    const file = name === undefined ? undefined : c.files.get(name);
    if (file === undefined) return send(c.res, 404, 'text/plain; charset=utf-8', 'not found\n', headers);
    send(c.res, 200, file.type, file.bytes, headers);
  } catch (e) {
    send(c.res, 500, 'application/json; charset=utf-8', toCompactJson({ error: e instanceof Error ? e.message : String(e) }), headers);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Readonly<Record<string, string>> = SECURITY_HEADERS): void {
  res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
