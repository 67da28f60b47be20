#!/bin/sh
# Wall time and CPU of `tune --subsystem optimizer --trials T --workers W` with data-parallel tuning trials on
# (--trial-train-workers auto) and off (1), interleaved run by run (auto, 1, 1, auto, …) so both see the same
# minutes of machine load. Each run is a fresh study in one store over the same generated circuits, seeded the
# same (--seed with --no-deterministic: deterministic batches would keep every trial on 1 worker).
# Prints one line per run: wall seconds, CPU seconds (user + sys of the whole tune process, all its threads), each
# trial's train_workers and run seconds (objective start to end, from `tune trials --json`), the load average
# before the run.
#
#   sh scripts/bench/trial-train-workers.sh ROUNDS TRIALS WORKERS [OUTDIR]
#   e.g. nice -n 10 sh scripts/bench/trial-train-workers.sh 3 3 2 /tmp/ttw
#
# The budget (TTW_EPOCHS, TTW_BATCH_CAP, default 2 and 40) and the model (hidden 128, 3 layers, 4 heads, batch 8,
# on TTW_TRAIN circuits, default 600) are small: a trial takes seconds.
set -eu
rounds=$1; trials=$2; workers=$3; out=${4:-$(mktemp -d /tmp/parzen-ttw-XXXXXX)}
here=$(cd "$(dirname "$0")/../.." && pwd)
tune="node $here/dist/src/cli/bin.js"
epochs=${TTW_EPOCHS:-2}; cap=${TTW_BATCH_CAP:-40}
mkdir -p "$out"
cd "$out"
[ -f datasets/optimizer/train.h5 ] || $tune datasets generate optimizer --train "${TTW_TRAIN:-600}" --val 100 --test 100 --json > /dev/null 2>&1
cat > tuning.config.mjs <<CFG
import { categorical, float } from '$here/dist/src/space/distributions.js';
export default {
  datasetsDir: 'datasets',
  subsystems: { optimizer: {
    space: { hidden_dim: categorical([128]), num_layers: categorical([3]), num_heads: categorical([4]), dropout: float(0.05, 0.3), learning_rate: float(1e-4, 5e-4, { log: true }) },
    full: { batch_size: 8, tuning_val_circuits: 64, backend: 'wasm' },
  } },
};
CFG
store="sqlite:$out/tuning.db"
i=1
while [ "$i" -le "$rounds" ]; do
  if [ $((i % 2)) -eq 1 ]; then order="auto 1"; else order="1 auto"; fi
  for ttw in $order; do
    study="r$i-$ttw-$$"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    /usr/bin/time -f "%e %U %S" -o "$out/$study.time" $tune --config tuning.config.mjs --subsystem optimizer --study "$study" \
      --trials "$trials" --workers "$workers" --epochs "$epochs" --batch-cap "$cap" --seed 5 --no-deterministic --backend wasm \
      --trial-train-workers "$ttw" --storage "$store" 2> "$out/$study.err" > /dev/null
    set -- $(cat "$out/$study.time")
    $tune trials --study "$study" --json --storage "$store" > "$out/$study.json"
    tw=$(jq -c '[.[] | .userAttrs.train_workers]' "$out/$study.json")
    run=$(jq -c '[.[] | .runMs / 1000 | . * 10 | round / 10]' "$out/$study.json")
    echo "round $i  --trial-train-workers $ttw  wall $1 s  cpu $(echo "$2 + $3" | bc) s  train_workers $tw  trial run s $run  load $load"
  done
  i=$((i + 1))
done
