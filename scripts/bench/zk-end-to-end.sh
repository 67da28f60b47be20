#!/bin/bash
# The zk issue's end-to-end check on a fresh cache and a fresh store, timed: tune (12 trials, seed 42) including the
# one-time setup, then best, export-baseline, train, audit of the run and of every COMPLETE trial's proofs.
# Run from the repository after `npx tsc -p tsconfig.json`: nice -n 19 bash scripts/bench/zk-end-to-end.sh
# Exit status: 0 when every command succeeded and every audit passed. PARZEN_ZK_PTAU=FILE tries a supplied setup.
set -u
TUNE="node $(cd "$(dirname "$0")/../.." && pwd)/dist/src/cli/bin.js"
W=$(mktemp -d /tmp/parzen-zk-e2e-XXXX)
cd "$W"
export PARZEN_ZK_CACHE="$W/cache"
ST="--storage sqlite:$W/z.db"
FAILED=0
t() { local s=$(date +%s); echo "== $* ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"; "$@"; local rc=$?; echo "== rc=$rc in $(( $(date +%s) - s )) s"; [ $rc -eq 0 ] || FAILED=1; return $rc; }
echo "machine: $(nproc) cores, $(node --version), $(uname -r)"
START=$(date +%s)
t $TUNE --subsystem zk --trials 12 --study z --seed 42 $ST
echo "== study with setup: $(( $(date +%s) - START )) s"
t $TUNE best --study z $ST
t $TUNE export-baseline --study z --out "$W/zk.json" $ST
t $TUNE train --baseline "$W/zk.json" $ST
RUN=$($TUNE runs $ST --json | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s)[0].runId))')
t $TUNE audit --run "$RUN" $ST
$TUNE trials --study z $ST --json > "$W/trials.json"
PASSED=0
TOTAL=0
for d in $(node -e 'for (const x of require(process.argv[1])) if (x.state === "COMPLETE") console.log(x.userAttrs.proof_dir)' "$W/trials.json"); do
  TOTAL=$((TOTAL + 1))
  if $TUNE audit --dir "$d" --datasets-dir "$W/datasets" | tail -1; then PASSED=$((PASSED + 1)); else FAILED=1; fi
done
echo "== trial audits: $PASSED/$TOTAL COMPLETE trials verify; total $(( $(date +%s) - START )) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "workdir $W"
exit $FAILED
