// A quick retrieval experiment (after `npx tsc -p tsconfig.json`): node scripts/retrieval-experiment.mjs '{"epochs":3,"cap":60,"embed_dim":128}' [datasetsDir]
// trains the retriever with those overrides of the full defaults, prints per-epoch loss / val MRR@10 / wall and CPU
// seconds (process.cpuUsage, user + sys: what a loaded machine does not inflate) and the test table.
import { initBackend } from '../dist/src/ml/backend.js';
import { trainModel } from '../dist/src/subsystems/harness.js';
import { ensureRetrievalDataset } from '../dist/src/subsystems/retrieval/dataset/prepare.js';
import { retrievalEngine } from '../dist/src/subsystems/retrieval/engine.js';
import { parseHyperparams } from '../dist/src/subsystems/retrieval/hyperparams.js';
import { evaluateRetrieverTest } from '../dist/src/subsystems/retrieval/train.js';
import retrieval from '../dist/src/subsystems/retrieval/index.js';
const over = JSON.parse(process.argv[2] ?? '{}');
const ds = process.argv[3] ?? 'datasets';
const epochs = over.epochs ?? 3; const cap = over.cap ?? null; delete over.cap;
await ensureRetrievalDataset(ds + '/retrieval', { seed: 42 });
const hp = parseHyperparams({ ...retrieval.defaults.full, backend: 'wasm', ...over });
await initBackend('wasm');
const t0 = performance.now();
const cpuS = (since) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1e6; };
const cpu0 = process.cpuUsage();
let cpuEpoch = process.cpuUsage();
const data = await retrievalEngine.loadData(ds, hp);
console.log('data', retrievalEngine.describe(data), ((performance.now()-t0)/1000).toFixed(1)+'s');
cpuEpoch = process.cpuUsage();
const { model } = await trainModel({ engine: retrievalEngine, hp, data, epochs, batchCap: cap, seed: 42, mode: 'tune',
  onEpoch: (r, d, v) => { console.log(`epoch ${r.epoch} train ${r.trainLoss.toFixed(4)} val_loss ${r.valLoss.toFixed(4)} val_mrr ${v.toFixed(4)} lr ${r.lr.toExponential(2)} ${r.seconds.toFixed(1)}s wall ${cpuS(cpuEpoch).toFixed(1)}s cpu (epoch + validation)`); cpuEpoch = process.cpuUsage(); } });
const res = await evaluateRetrieverTest(model, data, hp);
console.log(res.test_table);
console.log('total', ((performance.now()-t0)/1000).toFixed(1)+'s wall', cpuS(cpu0).toFixed(1)+'s cpu');
