#!/bin/sh
# A/B of gnn-workers between a base tree and this one, alternated pair by pair (base, this, base, this, …), each
# run its own `--rounds 1`, so both see the same minutes of machine load. Thread CPU per step is the figure.
#
#   sh scripts/bench/gnn-workers-ab.sh /work/gatbase2 PAIRS OUTDIR [gnn-workers args…]
#   e.g. sh scripts/bench/gnn-workers-ab.sh /work/gatbase2 2 /tmp/gat2-ab --train 2000 --hidden 128 --layers 3 \
#          --heads 4 --steps 99 --warmup-steps 300 --dropout 0.167
#
# The base tree must be built (npx tsc) with this tree's scripts/bench/gnn-workers.ts and thread-cpu.ts copied in.
set -eu
base=$1; pairs=$2; out=$3; shift 3
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
i=1
while [ "$i" -le "$pairs" ]; do
  for side in base this; do
    if [ "$side" = base ]; then tree=$base; else tree=$here; fi
    echo "pair $i, $side ($tree), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    (cd "$tree" && nice -n 10 node dist/scripts/bench/gnn-workers.js --rounds 1 "$@" > "$out/$side-$i.json" 2> "$out/$side-$i.err")
    grep -E 'worker\(s\)|old measure|workers =' "$out/$side-$i.err" | sed "s/^/  $side $i: /" >&2
  done
  i=$((i + 1))
done
