#!/usr/bin/env bash
# The server's instructions per PostgreSQL trial lifecycle, everything its backends do for one (the protocol's
# bind, describe and rows, the ask and the finish, triggers, index and WAL inserts, commits), a measure the machine's
# load does not change: a throwaway cluster (initdb; autovacuum off) runs under valgrind's callgrind, which follows
# the postmaster's forks, so each backend writes its own count when it exits. Each compiled tree's
# pg-lifecycle-cpu.js child (its store code, the lifecycle of store-lifecycle.ts, one round) runs against it with a
# few and with many lifecycles; the backends that served the round's store (the child reports their pids) are
# counted, and the difference in their instructions over the difference in lifecycles is the cost of one
# (connection start, the store's open and the warm-up lifecycles cancel). The WAL writer's and checkpointer's
# work is not in it.
# PG_SRV_INSTR_KEEP=1 keeps the callgrind files (one per backend, cg.<pid>; the largest served most lifecycles).
# Usage (as root, from the repository root after `npx tsc -p tsconfig.json`):
#   scripts/bench/pg-server-instructions.sh "distA distB" [nFew=20] [nMany=220]
set -euo pipefail
trees=${1:-dist}
few=${2:-20}
many=${3:-220}
bin=/usr/lib/postgresql/15/bin
port=54329
dir=$(mktemp -d /tmp/pg-srv-instr-XXXXXX)
chmod 777 "$dir"
me=dist/scripts/bench/pg-lifecycle-cpu.js
cleanup() {
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -n "${PG_SRV_INSTR_KEEP:-}" ]; then echo "callgrind files kept in $dir (callgrind_annotate --inclusive=yes $dir/cg.<pid>)" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT
runuser -u postgres -- "$bin/initdb" -D "$dir/data" --auth=trust -U postgres >/dev/null
runuser -u postgres -- valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" \
  "$bin/postgres" -D "$dir/data" -k "$dir" -p "$port" -c listen_addresses= -c autovacuum=off >"$dir/server.log" 2>&1 &
for _ in $(seq 1 120); do
  if "$bin/pg_isready" -q -h "$dir" -p "$port"; then break; fi
  sleep 1
done
"$bin/psql" -q -h "$dir" -p "$port" -U postgres postgres -c 'CREATE ROLE root SUPERUSER LOGIN'
url="postgresql://root@localhost/postgres?host=$dir&port=$port"

instructions() { # tree n: instructions of the backends that served the round's store (their pids from the child)
  node "$me" "$2" 1 "$url" --child "$1" >"$dir/child.json"
  local pids
  pids=$(node -e 'for (const r of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) for (const p of r.serverPids) console.log(p)' "$dir/child.json")
  # The backends exit (and dump their counts) after the client closed.
  for p in $pids; do
    for _ in $(seq 1 60); do [ -s "$dir/cg.$p" ] && grep -q '^totals:' "$dir/cg.$p" && break; sleep 1; done
  done
  for p in $pids; do grep -h '^summary:' "$dir/cg.$p"; done | awk '{ s += $2 } END { printf "%.0f\n", s }'
}

for t in $trees; do
  a=$(instructions "$t" "$few")
  b=$(instructions "$t" "$many")
  awk -v t="$t" -v a="$a" -v b="$b" -v few="$few" -v many="$many" \
    'BEGIN { printf "%s: %.0f server instructions per lifecycle (runs of %d and %d lifecycles: %.4g and %.4g)\n", t, (b - a) / (many - few), few, many, a, b }'
done
