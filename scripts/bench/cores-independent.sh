#!/usr/bin/env bash
# Whether this machine's two vCPUs are separate cores (issue 17's two-worker ceiling): single-thread OpenBLAS sgemm
# (512 x 512, PyTorch 1.13 on Debian's OpenBLAS) in one process, then in two processes at once. Separate cores give
# each of the two about the single process's GFLOP/s; SMT siblings of one core would share it.
#
#   scripts/bench/cores-independent.sh
set -euo pipefail
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
prog='
import time, torch
torch.set_num_threads(1)
a = torch.randn(512, 512); b = torch.randn(512, 512)
for _ in range(20): a @ b
t = time.time()
for _ in range(400): a @ b
print("%.1f GFLOP/s" % (400 * 2 * 512 ** 3 / (time.time() - t) / 1e9))
'
echo "one process: $(/usr/bin/python3 -c "$prog")"
/usr/bin/python3 -c "$prog" > /tmp/cores-a.$$ & /usr/bin/python3 -c "$prog" > /tmp/cores-b.$$ & wait
echo "two processes at once: $(cat /tmp/cores-a.$$), $(cat /tmp/cores-b.$$)"
rm -f /tmp/cores-a.$$ /tmp/cores-b.$$
