#!/usr/bin/env python3
"""PyTorch peer of parzen's graph attention network (src/subsystems/optimizer/model/), for gnn-steps.ts.

Reads the batches and initial weights that scripts/bench/gnn-export.ts wrote, computes the evaluation-mode
loss of batch 0 (a parity check against parzen), then times Adam training steps on the same batches.
Prints one JSON line: evalLoss0, lastLoss, wallPerStepMs, cpuPerStepMs, torchVersion, threads.

The maths mirrors gat-layer.ts / gat-model.ts line for line:
  e_ij = a^T LeakyReLU_0.2(W_s h_j + W_t h_i + W_e x_ij)      (GATv2 with edge features)
  alpha = softmax over each destination's incoming edges (max-shifted, shift detached)
  h' = LayerNorm(h + Dropout(ELU(W_o sum_j alpha_ij W_s h_j + b_o)))
  readout = mean || max over each circuit's nodes || graph statistics (z-scored and Fourier-encoded, from the batch)
  head = Linear(Dropout(ReLU(Linear(Dropout(ReLU(Linear(readout)))))))
  loss = MSE(outputs 0..2) + MSE(outputs 3..5)
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F


def load(dir_):
    with open(f"{dir_}/batches.json") as f:
        manifest = json.load(f)
    blob = open(f"{dir_}/batches.bin", "rb").read()

    def arr(ref):
        dtype = np.float32 if ref["dtype"] == "float32" else np.int32
        a = np.frombuffer(blob, dtype=dtype, count=ref["length"], offset=ref["offset"]).reshape(ref["shape"])
        t = torch.from_numpy(a.copy())
        return t.long() if ref["dtype"] == "int32" else t

    weights = {w["name"]: arr(w) for w in manifest["weights"]}
    batches = []
    for b in manifest["batches"]:
        batches.append({k: (arr(v) if isinstance(v, dict) else v) for k, v in b.items()})
    return manifest["config"], weights, batches


class Gat(torch.nn.Module):
    def __init__(self, config, weights):
        super().__init__()
        self.c = config
        self.p = torch.nn.ParameterDict({k.replace("/", "__"): torch.nn.Parameter(v.clone()) for k, v in weights.items()})

    def w(self, name):
        return self.p[name.replace("/", "__")]

    def layer(self, h, l, src, dst, ef, n_nodes, training):
        H = self.c["numHeads"]
        D = h.shape[1]
        E = src.shape[0]
        xs_e = (h @ self.w(f"l{l}/w_src"))[src]
        xt_e = (h @ self.w(f"l{l}/w_dst"))[dst]
        z = F.leaky_relu(xs_e + xt_e + ef @ self.w(f"l{l}/w_edge"), 0.2).view(E, H, D // H)
        logits = (z * self.w(f"l{l}/attn")).sum(-1)
        with torch.no_grad():
            seg_max = torch.full((n_nodes, H), -float("inf")).scatter_reduce(0, dst[:, None].expand(E, H), logits, reduce="amax", include_self=True)
        ex = torch.exp(logits - seg_max[dst])
        denom = torch.zeros(n_nodes, H).index_add_(0, dst, ex)
        alpha = F.dropout(ex / denom[dst], self.c["dropout"], training)
        msg = (xs_e.view(E, H, D // H) * alpha[..., None]).reshape(E, D)
        agg = torch.zeros(n_nodes, D).index_add_(0, dst, msg)
        out = F.dropout(F.elu(agg @ self.w(f"l{l}/w_out") + self.w(f"l{l}/b_out")), self.c["dropout"], training)
        return F.layer_norm(h + out, (D,), self.w(f"l{l}/ln_gain"), self.w(f"l{l}/ln_bias"), 1e-5)

    def forward(self, b, training):
        D = self.c["hiddenDim"]
        h = F.elu(b["nodeFeatures"] @ self.w("in/w") + self.w("in/b"))
        for l in range(self.c["numLayers"]):
            h = self.layer(h, l, b["src"], b["dst"], b["edgeFeatures"], b["nNodes"], training)
        padded = torch.cat([h, torch.zeros(1, D)], 0)[b["readoutIndex"]].view(b["nGraphs"], b["maxNodes"], D)
        mean = padded.sum(1) / b["nodeCounts"][:, None]
        mx = (padded + b["readoutBias"][..., None]).max(1).values
        g = torch.cat([mean, mx, b["graphInputs"]], 1)
        h1 = F.dropout(F.relu(g @ self.w("head/w1") + self.w("head/b1")), self.c["dropout"], training)
        h2 = F.dropout(F.relu(h1 @ self.w("head/w2") + self.w("head/b2")), self.c["dropout"], training)
        return h2 @ self.w("head/w3") + self.w("head/b3")

    def loss(self, b, training):
        sq = (self.forward(b, training) - b["targets"]) ** 2
        return sq[:, :3].mean() + sq[:, 3:].mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    config, weights, batches = load(a.dir)
    model = Gat(config, weights)
    with torch.no_grad():
        eval_loss0 = model.loss(batches[0], False).item()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)

    def step(b):
        opt.zero_grad(set_to_none=True)
        loss = model.loss(b, True)
        loss.backward()
        opt.step()
        return loss.item()

    for b in batches[: a.warmup]:
        step(b)
    c0, t0 = time.process_time(), time.perf_counter()
    last = float("nan")
    for b in batches[a.warmup : a.warmup + a.steps]:
        last = step(b)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({
        "evalLoss0": eval_loss0, "lastLoss": last,
        "wallPerStepMs": 1000 * wall / a.steps, "cpuPerStepMs": 1000 * cpu / a.steps,
        "torchVersion": torch.__version__, "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
