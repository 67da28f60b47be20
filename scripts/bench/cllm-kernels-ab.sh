#!/usr/bin/env bash
# Session 28's before/after for the cllm's kernels per step (issue 17, two train workers ≥ 1.6× one): two built
# trees, OLD and NEW, measured alike. First the kernels of one training step (forward + backward) on the wasm
# backend, counted by scripts/bench/kernel-profile.ts at the whole batch (12 windows) and at one of two replicas'
# shares (6); then ROUNDS interleaved rounds of the cllm bench (nanoGPT's CPU char setting, native products,
# dropout 0) with 1 and 2 train workers in each tree: process CPU per timed step (all threads), wall steps/s, and
# the validation loss. CPU per step is the figure to read under load; steps/s only on an idle machine.
#
#   scripts/bench/cllm-kernels-ab.sh OLD NEW [ROUNDS=3] [STEPS=60] [DATASETS=datasets] [WARMUP=1]
#
# Each tree must be built (`npx tsc -p tsconfig.json`) with node_modules and native/build in place; OLD for this
# session was main at ee4748b (`git archive ee4748b | tar -x -C /tmp/cllm-old`, the two folders linked to main's).
set -euo pipefail
old=$(cd "$1" && pwd)
new=$(cd "$2" && pwd)
rounds=${3:-3}
steps=${4:-60}
datasets=$(mkdir -p "${5:-datasets}" && cd "${5:-datasets}" && pwd)
warmup=${6:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "before: $(cat /proc/loadavg)"
for tree in old new; do
  dir=$old; [ "$tree" = new ] && dir=$new
  for b in 12 6; do
    echo "$tree, batch $b: $(cd "$dir" && node dist/scripts/bench/kernel-profile.js --model cllm --steps 10 --batch "$b" --top 0 | head -1)"
  done
done
for r in $(seq 1 "$rounds"); do
  for tree in old new; do
    dir=$old; [ "$tree" = new ] && dir=$new
    for w in 1 2; do
      (cd "$dir" && node dist/scripts/bench/cllm-vs-pytorch.js --steps "$steps" --skip-peer --train-workers "$w" --datasets "$datasets" --warmup-steps "$warmup") > "$out/$tree-w$w.json" 2> /dev/null
    done
  done
  node -e '
    const read = (k) => JSON.parse(require("fs").readFileSync(`${process.argv[1]}/${k}.json`, "utf8")).parzen;
    const line = (tree) => {
      const [a, b] = [read(`${tree}-w1`), read(`${tree}-w2`)];
      const ms = (p) => (1000 * p.cpu_seconds) / (p.steps - p.warmup_steps);
      return `${tree}: CPU ms/step ${ms(a).toFixed(1)} / ${ms(b).toFixed(1)} (2/1 ${(ms(b) / ms(a)).toFixed(3)}x), ` +
        `steps/s ${a.steps_per_s.toFixed(2)} / ${b.steps_per_s.toFixed(2)} (2/1 ${(b.steps_per_s / a.steps_per_s).toFixed(3)}x), ` +
        `val loss ${a.val_loss.toFixed(9)} / ${b.val_loss.toFixed(9)}`;
    };
    console.log(`round ${process.argv[2]} (1 worker / 2 workers): ${line("old")}; ${line("new")}`);
  ' "$out" "$r"
done
echo "after: $(cat /proc/loadavg)"
