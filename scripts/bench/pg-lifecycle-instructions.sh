#!/usr/bin/env bash
# The client's instructions per PostgreSQL trial lifecycle, a measure the machine's load does not change: each
# compiled tree's pg-lifecycle-cpu.js child (its store and study code, the lifecycle of store-lifecycle.ts, fresh
# stores per round as pg-store-cost.ts's rounds) runs under valgrind's callgrind twice, with a few and with many
# lifecycles in the same number of rounds; the difference in instructions (every thread: V8's compilers and GC
# included) over the difference in lifecycles is the cost of one. The server's work is not in it.
# Usage: scripts/bench/pg-lifecycle-instructions.sh "distA distB" [nFew=40] [nMany=1000] [rounds=4] [adminUrl]
# (run from the repository root after `npx tsc -p tsconfig.json`; each tree needs dist/scripts/bench/store-lifecycle.js)
set -euo pipefail
trees=${1:-dist}
few=${2:-40}
many=${3:-1000}
rounds=${4:-4}
url=${5:-postgresql://root@localhost/postgres?host=/var/run/postgresql}
me=dist/scripts/bench/pg-lifecycle-cpu.js
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

instructions() { # tree n
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" node "$me" "$2" "$rounds" "$url" --child "$1" >"$out/child.json" 2>"$out/valgrind.txt"
  grep -h '^summary:' "$out"/cg.* | awk '{ s += $2 } END { print s }'
  rm -f "$out"/cg.*
}

for t in $trees; do
  a=$(instructions "$t" "$few")
  b=$(instructions "$t" "$many")
  awk -v t="$t" -v a="$a" -v b="$b" -v few="$few" -v many="$many" -v r="$rounds" \
    'BEGIN { printf "%s: %.0f instructions per lifecycle (runs of %d and %d lifecycles in %d rounds: %.4g and %.4g)\n", t, (b - a) / (many - few), few, many, r, a, b }'
done
