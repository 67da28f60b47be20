"""PyTorch 1.13 peer of parzen's dense retriever: the same encoder (token embeddings, with subword_buckets > 0 plus
the mean of each token's hashed character n-gram rows (nn.EmbeddingBag, mode 'mean'), `layers` residual width-3
convolutions with ReLU, pooling weighted by exp(term weight), projection head, L2 norm), the same loss (InfoNCE over
in-batch + hard negatives at temperature tau, VICReg-form isotropy, L2 on conv/head matrices) and Adam, trained on
the very batches parzen trained on (read from --batches, written by scripts/bench/retrieval-vs-pytorch.ts).
Prints one JSON line with steps/s and the CPU seconds (user + sys) of the timed steps."""
import argparse, json, time
import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
for name, kind, default in [('batches', str, ''), ('threads', int, 1), ('seed', int, 42)]:
    p.add_argument('--' + name, type=kind, default=default)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
spec = json.load(open(a.batches))
cfg = spec['config']
V, D, O, L = cfg['vocab_size'], cfg['embed_dim'], cfg['output_dim'], cfg['encoder_layers']
NB = cfg.get('subword_buckets', 0)
emb = torch.nn.Parameter(torch.randn(V, D) / D ** 0.5)
ngram = torch.nn.EmbeddingBag(NB, D, mode='mean') if NB > 0 else None
if ngram is not None:
    torch.nn.init.normal_(ngram.weight, std=D ** -0.5)
term = torch.nn.Parameter(torch.tensor(spec['term_log_weights'], dtype=torch.float32).view(V, 1))
convs = [(torch.nn.Parameter(torch.empty(3 * D, D).uniform_(-(6 / (4 * D)) ** 0.5, (6 / (4 * D)) ** 0.5)), torch.nn.Parameter(torch.zeros(D))) for _ in range(L)]
head_w = torch.nn.Parameter(torch.empty(D, O).uniform_(-(6 / (D + O)) ** 0.5, (6 / (D + O)) ** 0.5))
head_b = torch.nn.Parameter(torch.zeros(O))
params = [emb, term, *([ngram.weight] if ngram is not None else []), *[t for c in convs for t in c], head_w, head_b]
opt = torch.optim.Adam(params, lr=cfg['lr'])


def encode(ids, mask, grams):
    x = emb[ids]
    if ngram is not None:
        x = x + ngram(grams[0], grams[1]).view(*ids.shape, D)
    x = x * mask[..., None]
    for w, b in convs:
        prev = F.pad(x[:, :-1], (0, 0, 1, 0))
        nxt = F.pad(x[:, 1:], (0, 0, 0, 1))
        x = (x + torch.relu(torch.cat([prev, x, nxt], -1) @ w + b)) * mask[..., None]
    wts = torch.exp(term[ids]) * mask[..., None]
    return ((x * wts).sum(1) / (wts.sum(1) + 1e-6)) @ head_w + head_b


def isotropy(z):
    m, d = z.shape
    c = z - z.mean(0, keepdim=True)
    cov = c.T @ c / max(1, m - 1)
    std = torch.sqrt(torch.diagonal(cov) + 1e-4)
    off = cov * (1 - torch.eye(d))
    return ((std - 1) ** 2).mean() + (off ** 2).sum() / d


def tensors(t):
    n, l = t['n'], t['len']
    grams = (torch.tensor(t['ngram_ids'], dtype=torch.long), torch.tensor(t['ngram_offsets'], dtype=torch.long))
    return torch.tensor(t['ids'], dtype=torch.long).view(n, l), torch.tensor(t['mask'], dtype=torch.float32).view(n, l), grams


batches = [tuple(tensors(b[k]) for k in ('queries', 'positives', 'negatives')) for b in spec['batches']]
losses = []
first = last = 0.0
cpu_first = cpu_last = 0.0
for step, (q, pz, ng) in enumerate(batches):
    zq, zp, zn = encode(*q), encode(*pz), encode(*ng)
    nq, npz, nn_ = F.normalize(zq, dim=1), F.normalize(zp, dim=1), F.normalize(zn, dim=1)
    logits = nq @ torch.cat([npz, nn_]).T / cfg['temperature']
    loss = F.cross_entropy(logits, torch.arange(len(nq)))
    loss = loss + cfg['isotropy_weight'] * isotropy(torch.cat([zq, zp, zn])) + cfg['reg_weight'] * sum((w ** 2).sum() for w in [*[c[0] for c in convs], head_w])
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(float(loss))
    if step == 0:
        first, cpu_first = time.perf_counter(), time.process_time()
    last, cpu_last = time.perf_counter(), time.process_time()
n = len(batches)
print(json.dumps({'torch': torch.__version__, 'threads': a.threads, 'steps': n, 'train_seconds': last - first, 'steps_per_s': (n - 1) / (last - first), 'cpu_seconds': cpu_last - cpu_first, 'steps_per_cpu_s': (n - 1) / (cpu_last - cpu_first), 'first_loss': losses[0], 'last_loss': losses[-1]}))
