"""PyTorch 1.13 peer of parzen's cllm: nanoGPT's model (Karpathy, model.py) at the same configuration, trained on
the same prepared token files (datasets/cllm/{train,val}.u16) with the same optimiser, schedule, clipping and the
same fixed validation windows. Prints one JSON line. Run by scripts/bench/cllm-vs-pytorch.ts."""
import argparse, json, math, os, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
for name, kind, default in [('dir', str, 'datasets/cllm'), ('steps', int, 2000), ('n-layer', int, 4), ('n-head', int, 4),
                            ('n-embd', int, 128), ('block', int, 64), ('batch', int, 12), ('lr', float, 1e-3),
                            ('min-lr-ratio', float, 0.1), ('warmup', int, 100), ('weight-decay', float, 0.1),
                            ('val-windows', int, 192), ('seed', int, 42), ('threads', int, 1)]:
    p.add_argument('--' + name, type=kind, default=default)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
train = torch.from_numpy(np.fromfile(os.path.join(a.dir, 'train.u16'), dtype='<u2').astype(np.int64))
val = torch.from_numpy(np.fromfile(os.path.join(a.dir, 'val.u16'), dtype='<u2').astype(np.int64))
vocab = len(json.load(open(os.path.join(a.dir, 'vocab.json')))['chars'])


class Block(nn.Module):
    def __init__(s, C, H, T):
        super().__init__()
        s.ln1, s.ln2, s.H = nn.LayerNorm(C), nn.LayerNorm(C), H
        s.qkv, s.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        s.fc, s.out = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)
        s.register_buffer('mask', torch.tril(torch.ones(T, T)).view(1, 1, T, T))

    def attn(s, x):
        B, T, C = x.shape
        q, k, v = s.qkv(x).split(C, dim=2)
        q, k, v = [t.view(B, T, s.H, C // s.H).transpose(1, 2) for t in (q, k, v)]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // s.H)
        att = F.softmax(att.masked_fill(s.mask[:, :, :T, :T] == 0, float('-inf')), dim=-1)
        return s.proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))

    def forward(s, x):
        x = x + s.attn(s.ln1(x))
        return x + s.out(F.gelu(s.fc(s.ln2(x))))


class GPT(nn.Module):
    def __init__(s):
        super().__init__()
        s.wte, s.wpe = nn.Embedding(vocab, a.n_embd), nn.Embedding(a.block, a.n_embd)
        s.blocks = nn.ModuleList([Block(a.n_embd, a.n_head, a.block) for _ in range(a.n_layer)])
        s.lnf = nn.LayerNorm(a.n_embd)
        for m in s.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        for b in s.blocks:
            for w in (b.proj.weight, b.out.weight):
                nn.init.normal_(w, 0.0, 0.02 / math.sqrt(2 * a.n_layer))

    def forward(s, idx, targets):
        x = s.wte(idx) + s.wpe(torch.arange(idx.shape[1]))
        for b in s.blocks:
            x = b(x)
        logits = s.lnf(x) @ s.wte.weight.t()  # head tied to the token embedding
        return F.cross_entropy(logits.view(-1, vocab), targets.view(-1))


def lr_at(step, total):  # parzen's ml/lr-schedule.ts
    if step < a.warmup:
        return a.lr * (step + 1) / a.warmup
    p_ = min(1.0, max(0.0, (step - a.warmup) / max(1, total - a.warmup)))
    return a.lr * (a.min_lr_ratio + (1 - a.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * p_)))


def val_loss(model):  # the same evenly spaced windows as parzen's evenStarts
    last = len(val) - a.block - 1
    n = min(a.val_windows, last + 1)
    starts = [math.floor(i * last / (n - 1) + 0.5) for i in range(n)]
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i in range(0, n, a.batch):
            ss = starts[i:i + a.batch]
            x = torch.stack([val[s:s + a.block] for s in ss])
            y = torch.stack([val[s + 1:s + 1 + a.block] for s in ss])
            total += model(x, y).item() * len(ss)
    model.train()
    return total / n


model = GPT()
decay = [p_ for p_ in model.parameters() if p_.dim() >= 2]
no_decay = [p_ for p_ in model.parameters() if p_.dim() < 2]
opt = torch.optim.AdamW([{'params': decay, 'weight_decay': a.weight_decay}, {'params': no_decay, 'weight_decay': 0.0}], lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
init_val = val_loss(model)
g = torch.Generator().manual_seed(a.seed)
t0 = time.perf_counter()
c0 = time.process_time()
for step in range(a.steps):
    for group in opt.param_groups:
        group['lr'] = lr_at(step, a.steps)
    ix = torch.randint(len(train) - a.block - 1, (a.batch,), generator=g)
    x = torch.stack([train[i:i + a.block] for i in ix])
    y = torch.stack([train[i + 1:i + 1 + a.block] for i in ix])
    loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
train_s = time.perf_counter() - t0
cpu_s = time.process_time() - c0
print(json.dumps({'peer': 'pytorch ' + torch.__version__, 'threads': a.threads, 'steps': a.steps, 'train_seconds': train_s,
                  'steps_per_s': a.steps / train_s, 'cpu_seconds': cpu_s, 'steps_per_cpu_s': a.steps / cpu_s, 'tokens_per_s': a.steps * a.batch * a.block / train_s,
                  'init_val_loss': init_val, 'val_loss': val_loss(model), 'params': sum(p_.numel() for p_ in model.parameters())}))
