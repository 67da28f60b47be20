/**
 * Migration 8's A/B: the same code and lifecycle as pg-store-cost.ts (ask, 5 suggests, 2 user attrs, tell) on two
 * stores in one database, one of them with the distribution foreign key and index of schema 7 put back on its
 * trial_params, alternated in blocks so the server's load swings fall on both. Prints each store's median
 * lifecycle wall time over the blocks (the block's mean) and the median per-block ratio.
 * Usage: node dist/scripts/bench/pg-param-keys-ab.js [blocks=12] [perBlock=100] [adminUrl]
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_ADMIN_URL, withAdminClient } from './pg-admin.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { RandomSampler } from '../../src/samplers/index.js';
import { createStudy } from '../../src/study/create.js';
import type { Study } from '../../src/study/study.js';
import { storeLifecycle as lifecycle } from './store-lifecycle.js';

const blocks = Number(process.argv[2] ?? 12);
const perBlock = Number(process.argv[3] ?? 100);
const adminUrl = process.argv[4] ?? DEFAULT_ADMIN_URL;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const db = `parzen_ab_${randomBytes(4).toString('hex')}`;
const admin = <T>(fn: Parameters<typeof withAdminClient<T>>[1]): Promise<T> => withAdminClient(adminUrl, fn);
await admin((c) => c.query(`CREATE DATABASE ${db}`));
try {
  const url = (schema: string): string => {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    u.searchParams.set('schema', schema);
    return u.toString();
  };
  const sides = [] as { label: string; study: Study; close: () => Promise<void>; ms: number[] }[];
  for (const [label, schema] of [['schema 7 keys', 'keyed'], ['schema 8', 'plain']] as const) {
    const storage = await PostgresStorage.open(url(schema), { poolSize: 2 });
    if (schema === 'keyed') {
      const u = new URL(adminUrl);
      u.pathname = `/${db}`;
      await withAdminClient(u.toString(), async (c) => {
        await c.query(`ALTER TABLE keyed.trial_params ADD FOREIGN KEY (distribution_id) REFERENCES keyed.distributions(distribution_id)`);
        await c.query('CREATE INDEX trial_params_distribution ON keyed.trial_params (distribution_id)');
      });
    }
    const study = await createStudy({ storage, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    for (let i = 0; i < 50; i++) await lifecycle(study, i); // warm: statements parsed, plans settled
    sides.push({ label, study, close: () => storage.close(), ms: [] });
  }
  for (let b = 0; b < blocks; b++) {
    for (const s of b % 2 === 0 ? sides : [...sides].reverse()) {
      const t0 = performance.now();
      for (let i = 0; i < perBlock; i++) await lifecycle(s.study, i);
      s.ms.push((performance.now() - t0) / perBlock);
    }
  }
  const ratios = sides[0].ms.map((m, k) => m / sides[1].ms[k]);
  for (const s of sides) console.log(`${s.label}: median block ${median(s.ms).toFixed(3)} ms/lifecycle (blocks ${s.ms.map((m) => m.toFixed(2)).join(' ')})`);
  console.log(`per-block ratio keyed / plain: median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`);
  for (const s of sides) await s.close();
} finally {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}
