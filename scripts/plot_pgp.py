#!/usr/bin/env python3
"""Plots the PGP experiment (bench/pgp_experiment.cpp's CSV) as SVG, Python standard library only.

  python3 scripts/plot_pgp.py RESULT.csv [--out FIGURE.svg] [--metric test_acc|valid_acc] [--summary]

One line per method (plain parameter shift, PGP configurations): the metric averaged over the seeds
against the cumulative circuit runs (the cost that matters on hardware), per-seed points faint
behind it. --summary prints, per PGP method, the comparison fixed before the runs: final mean
accuracy vs plain's final mean, the seeds where PGP's final ≥ plain's (paired by seed), the total
runs saved, and the runs PGP's mean curve needs to first reach plain's final mean (—: never).
"""
import argparse
import collections
import csv

W, H, M = 600, 420, 64
COLORS = {"plain": "#1f77b4", "pgp": "#d62728"}
OTHER = ["#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def summary(rows, metric):
    runs = collections.defaultdict(dict)  # method -> seed -> [(epoch, runs, acc)]
    for r in rows:
        runs[r["method"]].setdefault(r["seed"], []).append((int(r["epoch"]), float(r["circuit_runs"]), float(r[metric])))
    final = {m: {s: sorted(c)[-1] for s, c in by.items()} for m, by in runs.items()}
    mean = lambda v: sum(v) / len(v)
    plain = final["plain"]
    p_acc = mean([c[2] for c in plain.values()])
    p_runs = mean([c[1] for c in plain.values()])
    # Plain's own runs-to-reach its final mean (the plateau is reached early by both methods).
    p_reach = "—"
    for e in sorted({e for c in runs["plain"].values() for e, _, _ in c}):
        pts = [c for cs in runs["plain"].values() for c in cs if c[0] == e]
        if mean([c[2] for c in pts]) >= p_acc:
            p_reach = f"{mean([c[1] for c in pts]):.0f} (epoch {e})"
            break
    print(f"plain: final {metric} {p_acc:.3f} ({' '.join(f'{plain[s][2]:.3f}' for s in sorted(plain))}), runs {p_runs:.0f}, "
          f"reaches its own final mean at {p_reach}")
    for m in sorted(runs):
        if m == "plain":
            continue
        f = final[m]
        seeds = sorted(s for s in f if s in plain)
        acc = mean([f[s][2] for s in seeds])
        wins = sum(f[s][2] >= plain[s][2] for s in seeds)
        saved = 1 - mean([f[s][1] for s in seeds]) / p_runs
        # Runs-to-reach: the first epoch where the seed-mean curve reaches plain's final mean.
        epochs = sorted({e for s in seeds for e, _, _ in runs[m][s]})
        reach = "—"
        for e in epochs:
            pts = [c for s in seeds for c in runs[m][s] if c[0] == e]
            if mean([c[2] for c in pts]) >= p_acc:
                reach = f"{mean([c[1] for c in pts]):.0f} (epoch {e}, {100 * (1 - mean([c[1] for c in pts]) / p_runs):.1f} % fewer)"
                break
        verdict = "MET" if acc >= p_acc else "not met"
        print(f"{m}: final {acc:.3f} ({' '.join(f'{f[s][2]:.3f}' for s in seeds)}), diff {acc - p_acc:+.3f}, "
              f"PGP >= plain in {wins}/{len(seeds)} seeds, runs saved {100 * saved:.1f} %, reach plain's final: {reach}"
              f" -> {verdict}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--out", default="pgp_curves.svg")
    ap.add_argument("--metric", default="test_acc", choices=["test_acc", "valid_acc"])
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    rows = list(csv.DictReader(open(a.csv)))
    if not rows:
        raise SystemExit(f"{a.csv}: no rows")
    if a.summary:
        summary(rows, a.metric)
        return
    by = collections.defaultdict(lambda: collections.defaultdict(list))  # method -> epoch -> [(runs, acc)]
    for r in rows:
        by[r["method"]][int(r["epoch"])].append((float(r["circuit_runs"]), float(r[a.metric])))
    xs = [float(r["circuit_runs"]) for r in rows]
    ys = [float(r[a.metric]) for r in rows]
    x0, x1 = 0.0, max(xs) * 1.03
    y0, y1 = max(0.0, min(ys) - 0.05), min(1.0, max(ys) + 0.05)
    px = lambda x: M + (x - x0) / (x1 - x0) * (W - 2 * M)
    py = lambda y: H - M - (y - y0) / (y1 - y0) * (H - 2 * M)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{W / 2}" y="24" text-anchor="middle" font-size="15">On-chip training, {a.metric} vs circuit runs '
           f'(mean of seeds)</text>',
           f'<text x="{W / 2}" y="42" text-anchor="middle" font-size="12">{a.title}</text>',
           f'<rect x="{M}" y="{M}" width="{W - 2 * M}" height="{H - 2 * M}" fill="none" stroke="#444"/>',
           f'<text x="{W / 2}" y="{H - 14}" text-anchor="middle">circuit runs (cumulative)</text>',
           f'<text x="16" y="{H / 2}" text-anchor="middle" transform="rotate(-90 16 {H / 2})">{a.metric}</text>']
    for k in range(5):
        fx, fy = x0 + (x1 - x0) * k / 4, y0 + (y1 - y0) * k / 4
        out.append(f'<text x="{px(fx):.1f}" y="{H - M + 16}" text-anchor="middle" font-size="11">{fx:.3g}</text>')
        out.append(f'<text x="{M - 6}" y="{py(fy) + 4:.1f}" text-anchor="end" font-size="11">{fy:.2f}</text>')
    for i, (method, epochs) in enumerate(sorted(by.items())):
        color = COLORS.get(method, OTHER[i % len(OTHER)])
        line = []
        for e in sorted(epochs):
            pts = epochs[e]
            for x, y in pts:
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2" fill="{color}" opacity="0.25"/>')
            mx = sum(p[0] for p in pts) / len(pts)
            my = sum(p[1] for p in pts) / len(pts)
            line.append(f"{px(mx):.1f},{py(my):.1f}")
        out.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{color}" stroke-width="2"/>')
        final = [epochs[max(epochs)][j][1] for j in range(len(epochs[max(epochs)]))]
        label = f"{method}: final {sum(final) / len(final):.3f} at {epochs[max(epochs)][0][0]:.0f} runs"
        out.append(f'<text x="{W - M - 8}" y="{H - M - 14 - 16 * i}" text-anchor="end" fill="{color}">{label}</text>')
    out.append("</svg>")
    open(a.out, "w").write("\n".join(out) + "\n")
    print(a.out)


if __name__ == "__main__":
    main()
