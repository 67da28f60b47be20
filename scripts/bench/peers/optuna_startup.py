"""Optuna 3.1 at small budgets on the shared suite: mean best value after 12/25/50 trials over seeds.
Usage: /usr/bin/python3 optuna_startup.py FIRST_SEED N_SEEDS TRIALS KIND   (KIND: tpe | mtpe | random | qmc)
Prints one JSON object {function: {mark: [best per seed]}} as its last line."""
import sys, json, math
sys.path.insert(0, "/work/shared/peers")
import optuna
from suite import SUITE

optuna.logging.set_verbosity(optuna.logging.ERROR)
first, n_seeds, trials, kind = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
marks = [m for m in (12, 25, 50, 100) if m <= trials]


def suggest(t, spec):
    p = {}
    for k, s in spec.items():
        if s[0] == "float": p[k] = t.suggest_float(k, s[1], s[2], log=s[3])
        elif s[0] == "int": p[k] = t.suggest_int(k, s[1], s[2], log=s[3])
        else: p[k] = t.suggest_categorical(k, s[1])
    return p


def make(seed):
    if kind == "tpe": return optuna.samplers.TPESampler(seed=seed)
    if kind == "mtpe": return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if kind == "random": return optuna.samplers.RandomSampler(seed=seed)
    if kind == "qmc": return optuna.samplers.QMCSampler(seed=seed, scramble=True, warn_independent_sampling=False)
    raise SystemExit(f"unknown kind {kind}")


out = {}
for name, (spec, fn, _fopt) in SUITE.items():
    per_mark = {str(m): [] for m in marks}
    for seed in range(first, first + n_seeds):
        study = optuna.create_study(sampler=make(seed))
        best = math.inf
        for i in range(1, trials + 1):
            t = study.ask(); v = fn(suggest(t, spec)); study.tell(t, v); best = min(best, v)
            if str(i) in per_mark: per_mark[str(i)].append(best)
    out[name] = per_mark
    print(name, file=sys.stderr, flush=True)
print(json.dumps(out))
