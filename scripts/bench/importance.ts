/**
 * Issue 13: how long hyperparameter importance takes on large studies, and whether it ranks like Optuna's.
 * Random-search trials of f = 10·x0² + x1² + 0·x2 over [−1, 1]³ (true order x0 ≫ x1 ≫ x2), n in the list given;
 * parzen's PED-ANOVA (median of 5 runs) and fANOVA (64 trees, one run), then in the same run Optuna 3.1's default
 * evaluator (fANOVA, a 64-tree random forest) and its mean-decrease-impurity evaluator on the very same trials
 * (/usr/bin/python3). True variance shares: Var(10·x0²) = 100·4/45, Var(x1²) = 4/45, so x0 0.990, x1 0.0099, x2 0.
 * fANOVA took 94 s at 1000 trials here, so it runs only up to `fanovaMax` trials (default 1000).
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/importance.js [n,…=1000,10000] [fanovaMax=1000]
 */
import { spawnSync } from 'node:child_process';
import { fanovaImportance, pedAnovaImportance } from '../../src/importance/index.js';
import { float } from '../../src/space/distributions.js';
import { Rng } from '../../src/util/rng.js';
import type { FrozenTrial } from '../../src/core/frozen.js';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const fanovaMax = Number(process.argv[3] ?? 1000);
const space = { x0: float(-1, 1), x1: float(-1, 1), x2: float(-1, 1) };

function trialsOf(n: number): FrozenTrial[] {
  const rng = new Rng(1);
  return Array.from({ length: n }, (_, i) => {
    const p = { x0: rng.uniform(-1, 1), x1: rng.uniform(-1, 1), x2: rng.uniform(-1, 1) };
    return { trialId: i + 1, studyId: 1, number: i, state: 'COMPLETE', value: 10 * p.x0 ** 2 + p.x1 ** 2, params: p, distributions: space, intermediateValues: new Map(), userAttrs: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null, heartbeat: null, error: null, worker: null, seed: null, codeVersion: null, budget: null, retryOf: null } satisfies FrozenTrial;
  });
}

const PEER = `
import json, sys, time, warnings
warnings.filterwarnings('ignore')
import optuna
from optuna.distributions import FloatDistribution
from optuna.importance import FanovaImportanceEvaluator, MeanDecreaseImpurityImportanceEvaluator, get_param_importances
optuna.logging.set_verbosity(optuna.logging.ERROR)
rows, fanova = json.load(sys.stdin)
d = {k: FloatDistribution(-1, 1) for k in ('x0', 'x1', 'x2')}
study = optuna.create_study()
study.add_trials([optuna.trial.create_trial(params=r['p'], distributions=d, value=r['v']) for r in rows])
out = {}
evs = (('fanova', FanovaImportanceEvaluator(seed=0)),) if fanova else ()
for name, ev in evs + (('mdi', MeanDecreaseImpurityImportanceEvaluator(seed=0)),):
    t0 = time.perf_counter()
    imp = get_param_importances(study, evaluator=ev)
    out[name] = {'ms': (time.perf_counter() - t0) * 1000, 'importances': {k: round(v, 4) for k, v in imp.items()}}
print(json.dumps(out))
`;

for (const n of sizes) {
  const trials = trialsOf(n);
  const times: number[] = [];
  let result = pedAnovaImportance(trials, 'minimize');
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    result = pedAnovaImportance(trials, 'minimize');
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ours = { ms: Number(times[2].toFixed(2)), importances: Object.fromEntries(result.importances.map((p) => [p.param, Number(p.importance.toFixed(4))])) };
  const f0 = performance.now();
  const fanova = fanovaImportance(trials, { seed: 0 });
  const oursFanova = { ms: Math.round(performance.now() - f0), importances: Object.fromEntries(fanova.importances.map((p) => [p.param, Number(p.importance.toFixed(4))])), mainEffects: Number(fanova.importances.reduce((a, p) => a + p.varianceFraction, 0).toFixed(4)) };
  const rows = JSON.stringify([trials.map((t) => ({ p: t.params, v: t.value })), n <= fanovaMax]);
  const py = spawnSync('/usr/bin/python3', ['-c', PEER], { input: rows, encoding: 'utf8', timeout: 600_000 });
  const peer: unknown = py.status === 0 ? JSON.parse(py.stdout) : { error: py.stderr.slice(-400) || `exit ${py.status}` };
  console.log(JSON.stringify({ n, pedAnova: ours, fanova: oursFanova, optuna31: peer }));
}
