#!/bin/bash
# Single-thread training steps/s of two builds of parzen against PyTorch 1.13, interleaved (issue 17):
# per round and model, the new tree with its PyTorch peer in the same process tree (gnn-steps.js / cllm-vs-pytorch.js,
# peer on 1 thread, OMP_WAIT_POLICY=PASSIVE), then the old tree with the peer skipped; in round 1 also the new tree
# with PARZEN_NATIVE=0 (wasm only). CPU steps/s are process CPU time; the ratio is against the peer of the same run.
#
#   scripts/bench/single-thread-rounds.sh NEW_TREE OLD_TREE ROUNDS [gat-small] [gat-large] [cllm]
#   e.g. scripts/bench/single-thread-rounds.sh . /tmp/single-base 3 gat-small gat-large cllm
#
# Each tree must be built (npx tsc -p tsconfig.json) and have node_modules and native/build (its own addon build).
set -euo pipefail
NEW=$(cd "$1" && pwd); OLD=$(cd "$2" && pwd); ROUNDS=$3; shift 3
gat() { # tree hidden layers heads steps circuits [extra...]
  local t=$1 h=$2 l=$3 hd=$4 s=$5 c=$6; shift 6
  (cd "$t" && nice -n 10 node dist/scripts/bench/gnn-steps.js --hidden "$h" --layers "$l" --heads "$hd" --steps "$s" --warmup 2 --circuits "$c" "$@" 2>/dev/null |
    python3 -c "import json,sys; r=json.load(sys.stdin); t=r['torch']; print('parzen_cpu=%.3f torch_cpu=%s ratio=%s loss=%.6f' % (r['tfjsWasm']['stepsPerSecCpu'], t and '%.3f'%t['stepsPerSecCpu'], r['ratioCpu'] and '%.3f'%r['ratioCpu'], r['tfjsWasm']['lastLoss']))")
}
cllm() { # tree [extra...]
  local t=$1; shift
  (cd "$t" && nice -n 10 node dist/scripts/bench/cllm-vs-pytorch.js --steps 60 "$@" 2>/dev/null | python3 -c "
import json,sys
txt=sys.stdin.read(); r=json.loads(txt[txt.index('{'):]); p=r['parzen']; q=r['peer']
print('parzen_cpu=%.3f torch_cpu=%s ratio=%s val_loss=%.8f' % (p['steps_per_cpu_s'], q and '%.3f'%q['steps_per_cpu_s'], q and '%.3f'%(p['steps_per_cpu_s']/q['steps_per_cpu_s']), p['val_loss']))")
}
run() { # model tree [extra...]
  local m=$1; shift
  case $m in
    gat-large) gat "$1" 384 8 8 8 64 "${@:2}" ;;
    gat-small) gat "$1" 128 3 4 20 128 "${@:2}" ;;
    cllm) cllm "$@" ;;
    *) echo "unknown model '$m'; use gat-small, gat-large, cllm" >&2; exit 2 ;;
  esac
}
stamp() { echo -n "$(date -u +%H:%M:%S) load=$(cut -d' ' -f1 /proc/loadavg) round=$1 $2 $3: "; }
for r in $(seq 1 "$ROUNDS"); do
  for m in "$@"; do
    stamp "$r" "$m" new; run "$m" "$NEW"
    stamp "$r" "$m" old; run "$m" "$OLD" --skip-peer
    if [ "$r" = 1 ]; then stamp "$r" "$m" new-wasm-only; PARZEN_NATIVE=0 run "$m" "$NEW" --skip-peer; fi
  done
done
