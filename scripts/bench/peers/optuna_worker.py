"""One Optuna 3.1 worker process on a shared RDB study: TPE on Branin until the study has N COMPLETE trials
(MaxTrialsCallback), as `tune worker --trials N` does. Start several at once for a multi-worker run.
Usage: /usr/bin/python3 optuna_worker.py N postgresql+psycopg2://user@/db?host=/var/run/postgresql STUDY"""
import math, sys, optuna
from optuna.study import MaxTrialsCallback
from optuna.trial import TrialState
optuna.logging.set_verbosity(optuna.logging.WARNING)
n, storage, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def branin(trial):
    x = trial.suggest_float("x", -5, 10)
    y = trial.suggest_float("y", 0, 15)
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10

study = optuna.create_study(storage=storage, study_name=name, load_if_exists=True, sampler=optuna.samplers.TPESampler())
study.optimize(branin, n_trials=n, callbacks=[MaxTrialsCallback(n, states=(TrialState.COMPLETE,))])
