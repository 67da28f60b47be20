#!/usr/bin/env bash
# The fused graph-attention layer (PARZEN_GAT_LAYER=fused, the default) against the composed one (=composed) on 1
# and 2 train workers: gnn-workers.js once per layer form per round, the two forms alternated, one line per run:
# steps/s of 1 and 2 workers and their ratio, process CPU (all threads) and its ratio, each training thread's CPU
# per step and each replica's barrier wait (wall) per step. CPU is the figure to read on a loaded machine.
#
#   npx tsc -p tsconfig.json && scripts/bench/gat-layer-ab.sh [ROUNDS=2] [gnn-workers.js options...]
#   e.g. scripts/bench/gat-layer-ab.sh 3 --hidden 128 --layers 3 --heads 4 --steps 100 --dropout 0.167
set -euo pipefail
rounds=${1:-2}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "before: $(cat /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  for mode in composed fused; do
    PARZEN_GAT_LAYER=$mode node dist/scripts/bench/gnn-workers.js --rounds 1 "$@" > "$out/$mode.json" 2> "$out/$mode.err"
    node -e '
      const rep = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const [one, two] = rep.runs;
      const f = (x, d) => x.toFixed(d);
      const threads = (run) => run.threads.map((t) => f(t.threadCpuMsPerStep, 1)).join(" / ");
      const waits = two.threads.map((t) => f(t.barrierWaitWallMs, 1)).join(" / ");
      console.log(`round ${process.argv[2]} ${process.argv[3].padEnd(8)}: 1 worker ${f(one.stepsPerSec, 2)}, 2 workers ${f(two.stepsPerSec, 2)} steps/s = ${f(two.speedupOverFirst, 3)}x; ` +
        `CPU ${f(one.cpuSeconds, 2)} / ${f(two.cpuSeconds, 2)} s = ${f(two.cpuOverFirst, 3)}x; thread CPU ms/step ${threads(one)} | ${threads(two)}; ` +
        `barrier wait ms/step ${waits}; largest loss difference ${two.maxLossDiffFromFirst.toExponential(1)}; load ${f(one.loadAverage1m, 1)}`);
    ' "$out/$mode.json" "$r" "$mode"
  done
done
echo "after: $(cat /proc/loadavg)"
