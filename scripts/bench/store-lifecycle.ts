import type { Study } from '../../src/study/study.js';

/**
 * The trial lifecycle the store benchmarks time, the same as their Optuna peers' (peers/optuna_store_lifecycle.py):
 * ask, 5 suggests, 2 user attrs, tell — through the public study API.
 */
export async function storeLifecycle(study: Study, i: number): Promise<void> {
  const t = await study.ask();
  t.suggestCategorical('hidden_dim', [128, 256, 384]);
  const layers = t.suggestInt('num_layers', 3, 8);
  t.suggestCategorical('num_heads', [4, 8]);
  const dropout = t.suggestFloat('dropout', 0.05, 0.3);
  t.suggestFloat('learning_rate', 1e-5, 5e-4, { log: true });
  t.setUserAttr('worker', 'w0');
  t.setUserAttr('epochs', 2);
  await study.tell(t, dropout + layers * 0.01 + i * 0);
}
