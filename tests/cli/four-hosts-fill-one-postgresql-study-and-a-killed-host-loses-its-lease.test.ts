import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import pg from 'pg';
import { startTune } from './background.js';
import { fixture } from './cli.js';
import { simulatedHosts, whyUnavailable } from './netns-hosts.js';

const N = 200;
const LEASE_MS = 4000;
const unavailable = whyUnavailable();

interface Row {
  number: number;
  state: string;
  worker: string;
  errorCode: string | null;
  errorMessage: string | null;
  completedAt: number | null;
}

test(
  `4 tune workers on 4 hosts (network namespaces on a bridge) fill one PostgreSQL study to exactly ${N} COMPLETE; a host SIGKILLed mid-trial loses that trial to its lease and no healthy trial fails`,
  { skip: unavailable === undefined ? false : `skipped: ${unavailable}`, timeout: 180_000 },
  async () => {
    const hosts = await simulatedHosts(4, 'parzen_hosts');
    const c = new pg.Client({ connectionString: hosts.url });
    const started: ReturnType<typeof startTune>[] = [];
    try {
      await c.connect();
      const url = `${hosts.url}?lease_ms=${LEASE_MS}`;
      const args = ['worker', '--objective', fixture('hangs-after'), '--study', 's', '--trials', String(N), '--workers', '0', '--storage', url];
      // host0 runs 5 trials, then hangs in its sixth until it is killed; hosts 1-3 run 20 ms trials.
      const victim = startTune(args, { PARZEN_TEST_HANG_AFTER: '5' }, hosts.on(0));
      started.push(victim);
      const healthy = [1, 2, 3].map((i) => startTune(args, { PARZEN_TEST_SLEEP_MS: '20' }, hosts.on(i)));
      started.push(...healthy);

      await victim.until(/hanging in trial \d+/);
      const hung = Number(/hanging in trial (\d+)/.exec(victim.stderr())?.[1]);
      const before = await c.query<{ state: string; worker: string }>('SELECT state, worker FROM trials WHERE number = $1', [hung]);
      assert.equal(before.rows[0].state, 'RUNNING');
      assert.match(before.rows[0].worker, /^host0:/, 'the worker label names the host');
      // Every host talks to the server over the bridge, from its own address (the server listens on nothing else).
      const seen = new Set<string>();
      for (let i = 0; i < 300 && seen.size < hosts.hosts.length; i++) {
        const { rows } = await c.query<{ addr: string }>("SELECT DISTINCT host(client_addr) AS addr FROM pg_stat_activity WHERE application_name = 'parzen'");
        for (const r of rows) seen.add(r.addr);
        if (seen.size < hosts.hosts.length) await sleep(100);
      }
      assert.deepEqual([...seen].sort(), hosts.hosts.map((h) => h.address).sort());

      const killedAt = Date.now();
      victim.kill('SIGKILL');
      assert.equal((await victim.exited).signal, 'SIGKILL');
      const ends = await Promise.all(healthy.map((h) => h.exited));
      assert.deepEqual(ends.map((e) => e.code), [0, 0, 0], healthy.map((h) => h.stderr()).join('\n---\n'));

      const { rows } = await c.query<Row>(
        `SELECT number::int, state, worker, error_code AS "errorCode", error_message AS "errorMessage", datetime_complete::float8 AS "completedAt"
         FROM trials ORDER BY number`,
      );
      assert.deepEqual(rows.map((r) => r.number), Array.from({ length: rows.length }, (_, i) => i), 'numbers are dense and unique across hosts');
      assert.equal(rows.filter((r) => r.state === 'COMPLETE').length, N);
      const notComplete = rows.filter((r) => r.state !== 'COMPLETE');
      assert.equal(notComplete.length, 1, `only the killed host's trial is not COMPLETE: ${JSON.stringify(notComplete)}`);
      const [lost] = notComplete;
      assert.equal(lost.number, hung);
      assert.equal(lost.state, 'FAIL');
      assert.equal(lost.errorCode, 'WORKER');
      assert.match(lost.errorMessage ?? '', /^orphaned: the lease of host0:\d+ expired at .* \(server time\) without being renewed; marked failed by host[123]:\d+$/);
      // Its lease ran out at most LEASE_MS after the kill (the last renewal came before it); a live host reaps it at
      // its next ask. The 20 s of slack is for that ask on a loaded machine, not part of the contract.
      assert.ok(lost.completedAt !== null && lost.completedAt >= killedAt, 'failed only after the kill');
      assert.ok((lost.completedAt ?? 0) - killedAt <= LEASE_MS + 20_000, `failed ${(lost.completedAt ?? 0) - killedAt} ms after the kill`);
      const byHost = new Map<string, number>();
      for (const r of rows) if (r.state === 'COMPLETE') byHost.set(r.worker.split(':')[0], (byHost.get(r.worker.split(':')[0]) ?? 0) + 1);
      assert.equal(byHost.get('host0'), 5, 'the killed host finished its five trials before it hung');
      for (const h of ['host1', 'host2', 'host3']) assert.ok((byHost.get(h) ?? 0) > 0, `${h} completed trials: ${JSON.stringify([...byHost])}`);
    } finally {
      for (const t of started) t.kill('SIGKILL');
      await Promise.all(started.map((t) => t.exited));
      await c.end().catch(() => undefined);
      await hosts.destroy();
    }
  },
);
