#!/usr/bin/env bash
# The issue's store benchmark (pg-store-cost.js) from two compiled trees, alternated, with the load average beside
# each run: an A/B of two versions' per-trial store cost against Optuna's, in the same minutes on one server.
# Usage: scripts/bench/pg-store-cost-ab.sh "distA distB" [pairs=3] [nTrials=1000] [nPeerTrials=100] [adminUrl] [rounds=4]
# (run from the repository root after `npx tsc -p tsconfig.json` in each tree; each dist holds scripts/bench/pg-store-cost.js)
set -euo pipefail
read -r -a trees <<<"${1:?give two dist folders}"
pairs=${2:-3}
n=${3:-1000}
peer=${4:-100}
url=${5:-postgresql://root@localhost/postgres?host=/var/run/postgresql}
rounds=${6:-4}
for ((k = 0; k < pairs; k++)); do
  order=("${trees[@]}")
  if ((k % 2 == 1)); then order=("${trees[1]}" "${trees[0]}"); fi
  for t in "${order[@]}"; do
    echo "== $t, $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
    # The tree's own script: Optuna's peer script is found relative to the working directory, so run from its repository.
    (cd "$t/.." && node dist/scripts/bench/pg-store-cost.js "$n" "$peer" "$url" "$rounds") | grep -E 'ratio optuna|^over |parzen lifecycle|one durable commit' | sed 's/^/  /'
  done
done
