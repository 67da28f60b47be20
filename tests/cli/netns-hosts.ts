import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * Simulated hosts for the multi-host tests: network namespaces on one bridge, each with its own address and its
 * own hostname (a UTS namespace per process), and a throwaway PostgreSQL 15 cluster listening only on the bridge
 * address. A process in a namespace cannot reach the machine's 127.0.0.1, so every byte between a worker and the
 * server crosses the bridge as it would between machines. Needs root and `ip netns`; `whyUnavailable()` says
 * what is missing so the test can skip with that message.
 *
 * Names carry this process's pid (`pz<pid>-<i>`, bridge `pzb<pid>`), so a later run removes what a killed one left.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Why these tests cannot run here, or undefined when they can. */
export function whyUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces and a bridge)';
  if (!existsSync(join(PG_BIN, 'postgres')) || !existsSync(join(PG_BIN, 'initdb'))) return `needs PostgreSQL 15 binaries in ${PG_BIN}`;
  const probe = `pzprobe${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
  } catch (e) {
    return `\`ip netns add\` fails here: ${(e as { stderr?: string }).stderr?.trim() ?? (e as Error).message}`;
  }
  try {
    execFileSync('unshare', ['--uts', 'true']);
  } catch (e) {
    return `\`unshare --uts\` fails here: ${(e as Error).message}`;
  }
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    return 'needs the postgres system user to run a throwaway cluster';
  }
  return undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes namespaces and bridges that a killed earlier run (a dead pid) left behind. */
function sweepLeftovers(): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const m = /^pz(\d+)-\d+/.exec(line);
    if (m && !pidAlive(Number(m[1]))) ip('netns', 'del', m[0]);
  }
  for (const line of ip('-o', 'link', 'show', 'type', 'bridge').split('\n')) {
    const m = /^\d+: (pzb(\d+))[:@]/.exec(line);
    if (m && !pidAlive(Number(m[2]))) ip('link', 'del', m[1]);
  }
}

/** A /24 under 10.0.0.0/8 that no route on this machine covers yet. */
function freeSubnet(): string {
  const routes = ip('-4', 'route', 'show', 'table', 'all');
  for (let i = 0; i < 100; i++) {
    const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    if (!routes.includes(`${prefix}.`)) return prefix;
  }
  throw new Error('no free 10.x.y.0/24 subnet for the test bridge');
}

export interface SimulatedHosts {
  /** The server's address on the bridge. */
  readonly serverAddress: string;
  /** `postgresql://root@<server>:5432/<database>` for a database created on the throwaway cluster. */
  readonly url: string;
  /** Each host's namespace name, address and hostname. */
  readonly hosts: readonly { readonly netns: string; readonly address: string; readonly hostname: string }[];
  /** argv prefix that runs a command on host `i` (its namespace, its own hostname). */
  on(i: number): string[];
  /** Stops the cluster and removes every namespace, the bridge and the cluster's files. Safe to call twice. */
  destroy(): Promise<void>;
}

/** Creates `nHosts` namespaces on a fresh bridge and a PostgreSQL cluster on the bridge address with database `database`. */
export async function simulatedHosts(nHosts: number, database: string): Promise<SimulatedHosts> {
  sweepLeftovers();
  const prefix = freeSubnet();
  const bridge = `pzb${process.pid}`;
  const serverAddress = `${prefix}.1`;
  const hosts = Array.from({ length: nHosts }, (_, i) => ({ netns: `pz${process.pid}-${i}`, address: `${prefix}.${10 + i}`, hostname: `host${i}` }));
  const dir = mkdtempSync(join(tmpdir(), 'parzen-pg-hosts-'));
  let server: ChildProcess | undefined;
  let destroyed = false;
  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGINT'); // fast shutdown
      await Promise.race([exited, sleep(10_000)]);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
    for (const h of hosts) if (ip('netns', 'list').includes(h.netns)) ip('netns', 'del', h.netns);
    if (ip('-o', 'link', 'show').includes(`${bridge}:`)) ip('link', 'del', bridge);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${serverAddress}/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    hosts.forEach((h, i) => {
      const outside = `pzv${process.pid}h${i}`;
      const inside = `pzv${process.pid}n${i}`;
      ip('netns', 'add', h.netns);
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      ip('link', 'set', outside, 'master', bridge, 'up');
      ip('link', 'set', inside, 'netns', h.netns);
      ip('-n', h.netns, 'link', 'set', inside, 'name', 'eth0');
      ip('-n', h.netns, 'addr', 'add', `${h.address}/24`, 'dev', 'eth0');
      ip('-n', h.netns, 'link', 'set', 'eth0', 'up');
      ip('-n', h.netns, 'link', 'set', 'lo', 'up');
    });
    server = await startCluster(dir, serverAddress, `${prefix}.0/24`);
    const admin = new pg.Client({ host: serverAddress, port: 5432, user: 'root', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  } catch (e) {
    await destroy();
    throw e;
  }
  return {
    serverAddress,
    url: `postgresql://root@${serverAddress}:5432/${database}`,
    hosts,
    on: (i) => ['ip', 'netns', 'exec', hosts[i].netns, 'unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', hosts[i].hostname],
    destroy,
  };
}

/** initdb (as the postgres user, trust auth, superuser root) and a server on `address` only; resolves once it accepts connections. */
async function startCluster(dir: string, address: string, subnet: string): Promise<ChildProcess> {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  execFileSync(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'root', '--no-sync', '--locale=C', '-E', 'UTF8'], { uid, gid, stdio: 'ignore' });
  appendFileSync(join(data, 'pg_hba.conf'), `host all all ${subnet} trust\n`);
  const settings = {
    listen_addresses: address,
    port: '5432',
    unix_socket_directories: dir,
    max_connections: '60',
    fsync: 'off',
    shared_buffers: '32MB',
  };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const server = spawn(join(PG_BIN, 'postgres'), args, { uid, gid, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the throwaway PostgreSQL cluster exited at start:\n${log}`);
    const c = new pg.Client({ host: address, port: 5432, user: 'root', database: 'postgres', connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.end();
      return server;
    } catch {
      await sleep(100);
    }
  }
  server.kill('SIGKILL');
  throw new Error(`the throwaway PostgreSQL cluster did not accept connections on ${address}:5432 within 30 s:\n${log}`);
}
