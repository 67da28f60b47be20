#!/usr/bin/env bash
# The retrieval cycle on a BEIR-layout folder (issue 9), each step niced and timed for CPU:
#   scripts/bench/retrieval-beir-cycle.sh LOGDIR [make|prepare|study|best|export|train]...   (no step: all, in order)
# Run from the repository root after `npx tsc -p tsconfig.json`. The BEIR folder is built from this machine's man pages
# into LOGDIR/man-beir (generated data: never commit it); datasets/ and studies/ are the working tree's own.
# TRAIN_EPOCHS=N passes --epochs N to `tune train` (default: the baseline config's epochs).
set -euo pipefail
logdir=${1:?usage: retrieval-beir-cycle.sh LOGDIR [make|prepare|study|best|export|train]...}
shift
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(make prepare study best export train)
mkdir -p "$logdir"
beir="$logdir/man-beir"
tune=(node dist/src/cli/bin.js)

step() {
  local name=$1
  shift
  {
    echo "## $name: $*"
    echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee -a "$logdir/cycle.log"
  nice -n 19 /usr/bin/time -v -o "$logdir/$name.time" "$@" 2>&1 | tee "$logdir/$name.out"
  {
    echo "end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
    grep -E 'User time|System time|Elapsed|Maximum resident' "$logdir/$name.time"
  } | tee -a "$logdir/cycle.log"
}

for s in "${steps[@]}"; do
  case $s in
    make) step make node scripts/make-beir-corpus.mjs --out "$beir" --seed 42 ;;
    prepare) step prepare "${tune[@]}" datasets prepare retrieval --beir "$beir" ;;
    study) step study "${tune[@]}" --subsystem retrieval --trials 12 --study rb --seed 42 ;;
    best) step best "${tune[@]}" best --study rb ;;
    export) step export "${tune[@]}" export-baseline --study rb --out studies/baselines/retrieval-beir.json ;;
    train) step train "${tune[@]}" train --baseline studies/baselines/retrieval-beir.json ${TRAIN_EPOCHS:+--epochs "$TRAIN_EPOCHS"} ;;
    *) echo "unknown step $s (make, prepare, study, best, export, train)" >&2; exit 2 ;;
  esac
done
