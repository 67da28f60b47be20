"""Optuna 3.1 driven over stdin/stdout by scripts/bench/sampler-broad.ts, so Optuna and parzen minimise the very same
problem code (the TypeScript side evaluates every objective). One JSON object per line:
  -> {"op": "start", "kind": "tpe"|"mtpe"|"random", "seed": S, "space": {name: distribution}}   (no reply)
  -> {"op": "ask", "names": [...]}        <- {"params": {name: value}}   (a new trial, these parameters suggested)
  -> {"op": "suggest", "names": [...]}    <- {"params": {...}}           (more parameters of the same trial)
  -> {"op": "tell", "value": V}                                            (no reply)
Usage: OMP_NUM_THREADS=1 /usr/bin/python3 optuna_ask_tell.py"""
import json, sys, warnings
import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")


def make(kind, seed):
    if kind == "tpe": return optuna.samplers.TPESampler(seed=seed)
    if kind == "mtpe": return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if kind == "random": return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler kind {kind!r}; expected tpe, mtpe or random")


def suggest(trial, name, d):
    if d["kind"] == "float": return trial.suggest_float(name, d["low"], d["high"], log=d["log"], step=d["step"])
    if d["kind"] == "int": return trial.suggest_int(name, d["low"], d["high"], log=d["log"], step=d["step"])
    return trial.suggest_categorical(name, d["choices"])


study = space = trial = None
for line in sys.stdin:
    msg = json.loads(line)
    op = msg["op"]
    if op == "start":
        study = optuna.create_study(sampler=make(msg["kind"], msg["seed"]))
        space = msg["space"]
        continue
    if op == "tell":
        study.tell(trial, msg["value"])
        continue
    if op == "ask":
        trial = study.ask()
    sys.stdout.write(json.dumps({"params": {n: suggest(trial, n, space[n]) for n in msg["names"]}}) + "\n")
    sys.stdout.flush()
