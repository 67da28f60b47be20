"""Peer for scripts/bench/estimator.ts: the primal uSVP search as the published Kyber/FrodoKEM scripts run it.

Same model as src/lattice/primal-usvp.ts (ADPS16 GSA condition, d = m + n + 1,
Bai-Galbraith rescaling), but searched the way pq-crystals/security-estimates and FrodoKEM's pqsec.py search:
block sizes upwards from 40, and for each block size every m from 1 to the cap, stopping at the first success.
Reads a JSON list of instances on stdin, prints a JSON list of {blockSize, samples, seconds}.
"""
import json
import sys
import time
from math import e, exp, log, pi, sqrt


def log_delta(b):
    return (log(pi * b) / b + log(b / (2 * pi * e))) / (2 * (b - 1))


def secret_std(secret, sigma):
    return {"gaussian": sigma, "ternary": sqrt(2 / 3), "binary": 0.5}[secret]


def smallest_block(n, log_q, sigma, m_max, secret):
    ln_q = log_q * log(2)
    ln_w = log(sigma / secret_std(secret, sigma))
    for b in range(40, n + m_max + 2):
        ld = log_delta(b)
        lhs = log(sigma) + 0.5 * log(b)
        for m in range(max(1, b - n - 1), m_max + 1):
            d = m + n + 1
            if lhs <= (2 * b - d) * ld + (m * ln_q + n * ln_w) / d:
                return b, m
    return None, None


def main():
    out = []
    for inst in json.load(sys.stdin):
        t0 = time.perf_counter()
        b, m = smallest_block(inst["n"], inst["logQ"], inst["sigma"], inst["m"], inst["secret"])
        out.append({"blockSize": b, "samples": m, "seconds": time.perf_counter() - t0})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
