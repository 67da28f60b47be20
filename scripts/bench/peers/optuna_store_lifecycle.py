"""Optuna 3.1 RDB storage on a SQLite file: cost of one trial lifecycle with RandomSampler (sampling is
negligible, so this is storage cost): ask, 5 suggests, 2 user attrs, tell.
Also counts, with SQLAlchemy's engine events, the SQL statements it sends per trial (cursor executions; psycopg2's
own BEGIN and each COMMIT are round trips on top).
Usage: /usr/bin/python3 optuna_store_lifecycle.py N sqlite:////tmp/lifecycle.db [WARMUP=0]
WARMUP lifecycles run first, untimed, in a study of their own (so the timed study holds N trials as without them)."""
import sys, time, optuna
from sqlalchemy import event
optuna.logging.set_verbosity(optuna.logging.WARNING)
n = int(sys.argv[1]); storage = sys.argv[2]; warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 0

def lifecycle(study):
    t = study.ask()
    h = t.suggest_categorical("hidden_dim", [128, 256, 384])
    l = t.suggest_int("num_layers", 3, 8)
    nh = t.suggest_categorical("num_heads", [4, 8])
    d = t.suggest_float("dropout", 0.05, 0.3)
    lr = t.suggest_float("learning_rate", 1e-5, 5e-4, log=True)
    t.set_user_attr("worker", "w0")
    t.set_user_attr("epochs", 2)
    study.tell(t, d + l * 0.01)

# One storage (one SQLAlchemy engine, with its compiled-statement cache) for the warm-up and the timed study.
storage = optuna.storages.get_storage(storage)
if warmup > 0:
    warm = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=1), study_name=f"warm{time.time()}")
    for i in range(warmup):
        lifecycle(warm)
study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=1), study_name=f"life{time.time()}")
backend = getattr(study._storage, "_backend", study._storage)
sent = {"statements": 0, "commits": 0}
event.listen(backend.engine, "before_cursor_execute", lambda *a: sent.__setitem__("statements", sent["statements"] + 1))
event.listen(backend.engine, "commit", lambda *a: sent.__setitem__("commits", sent["commits"] + 1))
t0 = time.perf_counter()
for i in range(n):
    lifecycle(study)
dt = time.perf_counter() - t0
print(f"{n} trial lifecycles: {dt:.2f} s = {1000 * dt / n:.2f} ms/trial, {sent['statements'] / n:.2f} statements/trial, {sent['commits'] / n:.2f} session commits/trial")
