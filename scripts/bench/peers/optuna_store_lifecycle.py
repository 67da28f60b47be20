"""Optuna 3.1 RDB storage on a SQLite file: cost of one trial lifecycle with RandomSampler (sampling is
negligible, so this is storage cost): ask, 5 suggests, 2 user attrs, tell.
Usage: /usr/bin/python3 optuna_store_lifecycle.py N sqlite:////tmp/lifecycle.db"""
import sys, time, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
n = int(sys.argv[1]); storage = sys.argv[2]
study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=1), study_name=f"life{time.time()}")
t0 = time.perf_counter()
for i in range(n):
    t = study.ask()
    h = t.suggest_categorical("hidden_dim", [128, 256, 384])
    l = t.suggest_int("num_layers", 3, 8)
    nh = t.suggest_categorical("num_heads", [4, 8])
    d = t.suggest_float("dropout", 0.05, 0.3)
    lr = t.suggest_float("learning_rate", 1e-5, 5e-4, log=True)
    t.set_user_attr("worker", "w0")
    t.set_user_attr("epochs", 2)
    study.tell(t, d + l * 0.01)
dt = time.perf_counter() - t0
print(f"{n} trial lifecycles: {dt:.2f} s = {1000 * dt / n:.2f} ms/trial")
