#!/usr/bin/env bash
# Issue 17's "two train workers reach >= 1.6x one worker": the cllm bench (nanoGPT's CPU char setting, native
# products) with --train-workers 1 then 2, interleaved for ROUNDS rounds, one line per round: steps/s of each,
# their ratio, process CPU seconds (all threads, steps 1..n-1) and the validation losses. Run it on an idle machine
# after `npx tsc -p tsconfig.json`; the load average before and after is printed (the figure is only worth
# reporting with it).
#
#   scripts/bench/train-workers-rounds.sh [ROUNDS=3] [STEPS=60] [DATASETS=datasets] [WARMUP=1]
#
# WARMUP: steps not timed (the bench's --warmup-steps; 1 is the figure every earlier session reported).
set -euo pipefail
rounds=${1:-3}
steps=${2:-60}
datasets=${3:-datasets}
warmup=${4:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "before: $(cat /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  for w in 1 2; do
    node dist/scripts/bench/cllm-vs-pytorch.js --steps "$steps" --skip-peer --train-workers "$w" --datasets "$datasets" --warmup-steps "$warmup" > "$out/w$w.json"
  done
  node -e '
    const [a, b] = [1, 2].map((w) => JSON.parse(require("fs").readFileSync(`${process.argv[1]}/w${w}.json`, "utf8")).parzen);
    const f = (x, d) => x.toFixed(d);
    console.log(`round ${process.argv[2]}: 1 worker ${f(a.steps_per_s, 3)} steps/s, 2 workers ${f(b.steps_per_s, 3)} steps/s, ` +
      `2/1 ${f(b.steps_per_s / a.steps_per_s, 3)}x; CPU s ${f(a.cpu_seconds, 2)} / ${f(b.cpu_seconds, 2)} ` +
      `(${f(b.cpu_seconds / a.cpu_seconds, 3)}x); val loss ${f(a.val_loss, 9)} / ${f(b.val_loss, 9)}; ` +
      `other threads ${f(a.other_threads_cpu_ms_per_step, 1)} / ${f(b.other_threads_cpu_ms_per_step, 1)} ms/step, ` +
      `other processes ${f(a.other_processes_cpu_s, 1)} / ${f(b.other_processes_cpu_s, 1)} s`);
  ' "$out" "$r"
done
echo "after: $(cat /proc/loadavg)"
