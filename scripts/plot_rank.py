#!/usr/bin/env python3
"""Plots a `qnas rank` output (rank.jsonl) as SVG, with the Python standard library only.

  python3 scripts/plot_rank.py RUN/rank/rank.jsonl [--out-dir DIR] [--split valid|test] [--paper]

Writes rank_scatter.svg (x: inherited loss, y: from-scratch loss, Spearman rho in the title) and,
for `qnas rank --params` output, rank_params.svg (from-scratch test accuracy vs #parameters: the
points, their median line and, with --paper, QuantumNAS's noise-free medians of paper_tables.md
§1.3 beside them).
"""
import argparse
import json
import os
import statistics

PAPER_MEDIANS = [(12, 0.443), (36, 0.613), (45, 0.687), (90, 0.778), (145, 0.802), (180, 0.810)]
W, H, M = 560, 420, 60  # canvas and margin (px)


def average_ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    ranks, i = [0.0] * len(v), 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x, y):
    if len(x) < 2:
        return float("nan")
    rx, ry = average_ranks(x), average_ranks(y)
    m = (len(x) + 1) / 2
    sxy = sum((a - m) * (b - m) for a, b in zip(rx, ry))
    sxx, syy = sum((a - m) ** 2 for a in rx), sum((b - m) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else float("nan")


class Plot:
    """One SVG chart with linear axes over the given data ranges (5% padding)."""

    def __init__(self, xs, ys, title, xlabel, ylabel):
        pad = lambda lo, hi: (lo - 0.05 * (hi - lo or 1), hi + 0.05 * (hi - lo or 1))
        self.x0, self.x1 = pad(min(xs), max(xs))
        self.y0, self.y1 = pad(min(ys), max(ys))
        self.items = [f'<text x="{W / 2}" y="24" text-anchor="middle" font-size="15">{title}</text>',
                      f'<rect x="{M}" y="{M}" width="{W - 2 * M}" height="{H - 2 * M}" fill="none" stroke="#444"/>',
                      f'<text x="{W / 2}" y="{H - 14}" text-anchor="middle">{xlabel}</text>',
                      f'<text x="16" y="{H / 2}" text-anchor="middle" transform="rotate(-90 16 {H / 2})">{ylabel}</text>']
        for k in range(5):  # tick labels
            fx, fy = self.x0 + (self.x1 - self.x0) * k / 4, self.y0 + (self.y1 - self.y0) * k / 4
            self.items.append(f'<text x="{self.px(fx):.1f}" y="{H - M + 16}" text-anchor="middle" '
                              f'font-size="11">{fx:.3g}</text>')
            self.items.append(f'<text x="{M - 6}" y="{self.py(fy) + 4:.1f}" text-anchor="end" '
                              f'font-size="11">{fy:.3g}</text>')

    def px(self, x):
        return M + (x - self.x0) / (self.x1 - self.x0) * (W - 2 * M)

    def py(self, y):
        return H - M - (y - self.y0) / (self.y1 - self.y0) * (H - 2 * M)

    def points(self, pts, color):
        for x, y in pts:
            self.items.append(f'<circle cx="{self.px(x):.1f}" cy="{self.py(y):.1f}" r="3.5" fill="{color}" '
                              f'fill-opacity="0.6"/>')

    def line(self, pts, color, label, row):
        path = " ".join(f"{self.px(x):.1f},{self.py(y):.1f}" for x, y in pts)
        self.items.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        self.items.append(f'<text x="{M + 8}" y="{M + 16 + 16 * row}" fill="{color}" font-size="12">{label}</text>')

    def write(self, path):
        with open(path, "w") as f:
            f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
                    f'font-family="sans-serif" font-size="13">\n<rect width="100%" height="100%" fill="white"/>\n')
            f.write("\n".join(self.items) + "\n</svg>\n")
        print(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl")
    ap.add_argument("--out-dir", help="where the SVGs go (default: beside the jsonl)")
    ap.add_argument("--split", default="valid", choices=["valid", "test"])
    ap.add_argument("--paper", action="store_true", help="draw the paper's medians on the params plot")
    a = ap.parse_args()
    with open(a.jsonl) as f:
        recs = sorted((json.loads(l) for l in f if l.endswith("\n")), key=lambda r: r["index"])
    if not recs:
        raise SystemExit(f"{a.jsonl}: no records")
    out = a.out_dir or os.path.dirname(os.path.abspath(a.jsonl))
    os.makedirs(out, exist_ok=True)

    xs = [r[f"inherited_{a.split}_loss"] for r in recs]
    ys = [r[f"scratch_{a.split}_loss"] for r in recs]
    p = Plot(xs, ys, f"n = {len(recs)}, Spearman rho = {spearman(xs, ys):.3f}",
             f"inherited-weight {a.split} loss", f"from-scratch {a.split} loss")
    p.points(zip(xs, ys), "#1f77b4")
    p.write(os.path.join(out, "rank_scatter.svg"))

    if any("requested_params" in r for r in recs):
        by_size = {}
        for r in recs:
            by_size.setdefault(r["n_params"], []).append(r["scratch_test_acc"])
        medians = sorted((n, statistics.median(v)) for n, v in by_size.items())
        pts = [(r["n_params"], r["scratch_test_acc"]) for r in recs]
        paper = PAPER_MEDIANS if a.paper else []
        p = Plot([x for x, _ in pts + paper], [y for _, y in pts + paper], "from-scratch test accuracy vs #params",
                 "#parameters", "test accuracy")
        p.points(pts, "#1f77b4")
        p.line(medians, "#1f77b4", "qnas median", 0)
        if paper:
            p.line(paper, "#d62728", "QuantumNAS median (paper_tables.md 1.3)", 1)
        p.write(os.path.join(out, "rank_params.svg"))


if __name__ == "__main__":
    main()
