#!/usr/bin/env python3
"""Accuracy vs #parameters under a device's noise model (paper_tables.md §1.5), standard library only.

  python3 scripts/sweep_params.py CONFIG.json --qnas BIN --out DIR [--budgets 6,12,...] [--seeds 1,2]
      [--modes co_search,noise_unaware] [--jobs 2] [--threads 1] [--plot FIGURE.svg] [--paper]

1. Trains ONE SuperCircuit: `qnas train CONFIG --out DIR/super` (skipped when DIR/super/result.json exists).
2. Per (mode, budget B, seed): a run directory DIR/<mode>_p<B>_s<seed> holding copies of the
   SuperCircuit's config.json (edited: search.mode, search.min_params = search.max_params = B, seed)
   and result.json, then `qnas search|retrain|prune|eval` on it — the searched winner has exactly B
   parameters, is retrained from scratch and evaluated noise-free and under the device's exact noise
   model on the seeded test subset. The co_search run of (B, seed) also gets the human design
   `fillB` as its eval.baselines (the first gates in layer order up to B parameters: the rule of
   QuantumNAS's paramN designs), trained with the same recipe and evaluated on the trivial and on
   the noise-aware layout. Complete stages are skipped, so a re-run resumes.
3. Writes DIR/sweep.jsonl and DIR/sweep.csv (mode, budget, seed, n_params, noisy_acc, noise_free_acc,
   two_qubit, success_rate, seconds) and, with --plot, an SVG of mean noisy accuracy vs budget for
   co-search, noise-unaware search and the human designs (--paper overlays paper_tables.md §1.5's
   digitised real-QC points, faint).

--noise-scale K (sensitivity check, not the paper's setting): the device's calibration with every
gate error multiplied by K (at most 0.75) and T1, T2 divided by K, readout errors unchanged, written
to DIR/device_xK/ and used for the search and the evaluation of every run (the SuperCircuit does not
depend on the device).

--idle-noise: every run's noise model also relaxes waiting qubits (noise_model.idle, noise/idle.h),
for the search and the evaluation.

At most --jobs processes run at once, each with --threads; results do not depend on either.
"""
import argparse
import collections
import concurrent.futures
import csv
import json
import os
import shutil
import subprocess
import sys
import time

BUDGETS = [6, 12, 18, 24, 36, 48, 60, 84, 108, 132, 156]
# paper_tables.md §1.5 (digitised from the slide, real IBMQ-Yorktown, ±2 pp): #params -> accuracy.
PAPER = {
    "co_search": [(3, .45), (6, .53), (12, .52), (18, .54), (21, .62), (33, .675), (51, .85), (66, .73), (81, .70),
                  (96, .67), (111, .55), (127, .30), (155, .29)],
    "noise_unaware": [(3, .35), (6, .49), (12, .50), (18, .38), (24, .62), (36, .67), (54, .46), (75, .58),
                      (108, .28), (127, .20), (155, .205)],
    "human": [(3, .35), (9, .49), (12, .55), (15, .51), (21, .56), (36, .70), (51, .47), (66, .44), (81, .25),
              (96, .36), (111, .32), (127, .23), (141, .26), (155, .23)],
}
COLORS = {"co_search": "#d62728", "noise_unaware": "#1f77b4", "human": "#2ca02c", "human_noise_aware": "#98df8a"}
LABELS = {"co_search": "QuantumNAS co-search", "noise_unaware": "noise-unaware search",
          "human": "human design (fillN, trivial layout)", "human_noise_aware": "human design, noise-aware layout"}


def run(cmd, log):
    t0 = time.time()
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {p.returncode}); see {log}")
    return time.time() - t0


def scaled_device(a, cfg):
    """DIR/device_xK: the calibration of cfg's device with gate errors × K and T1, T2 ÷ K."""
    k = a.noise_scale
    dst = os.path.join(os.path.abspath(a.out), f"device_x{k:g}")
    if os.path.exists(os.path.join(dst, "props.json")):
        return dst
    dev = cfg["device"]
    src = dev if ("/" in dev or os.path.isdir(dev)) else os.path.join(cfg["data"]["dir"], "devices", dev)
    props = json.load(open(os.path.join(src, "props.json")))
    for g in props["gates"]:
        for p in g["parameters"]:
            if p["name"] == "gate_error":
                p["value"] = min(0.75, p["value"] * k)
    for q in props["qubits"]:
        for p in q:
            if p["name"] in ("T1", "T2"):
                p["value"] = p["value"] / k
    os.makedirs(dst, exist_ok=True)
    shutil.copy(os.path.join(src, "conf.json"), os.path.join(dst, "conf.json"))
    with open(os.path.join(dst, "props.json"), "w") as f:
        json.dump(props, f)
    return dst


def one_run(a, mode, budget, seed):
    d = os.path.join(a.out, f"{mode}_p{budget}_s{seed}")
    if os.path.exists(os.path.join(d, "eval.json")):
        return d
    os.makedirs(d, exist_ok=True)
    cfg = json.load(open(os.path.join(a.out, "super", "config.json")))
    cfg["seed"] = seed
    cfg["search"]["mode"] = mode
    cfg["search"]["min_params"] = budget
    cfg["search"]["max_params"] = budget
    cfg["eval"]["baselines"] = [f"fill{budget}"] if mode == "co_search" else []
    if a.noise_scale != 1.0:
        cfg["device"] = scaled_device(a, cfg)
    if a.idle_noise:
        cfg["noise_model"] = {"idle": True}
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    if not os.path.exists(os.path.join(d, "result.json")):
        shutil.copy(os.path.join(a.out, "super", "result.json"), os.path.join(d, "result.json"))
    t0 = time.time()
    for stage in ("search", "retrain", "prune", "eval"):
        run([a.qnas, stage, d, "--threads", str(a.threads), "--resume", "--quiet"], d + ".log")
    with open(os.path.join(d, "seconds.txt"), "w") as f:
        f.write(f"{time.time() - t0:.1f}\n")
    return d


def rows_of(d, mode, budget, seed):
    ev = json.load(open(os.path.join(d, "eval.json")))
    sr = json.load(open(os.path.join(d, "search", "result.json")))
    secs = float(open(os.path.join(d, "seconds.txt")).read()) if os.path.exists(os.path.join(d, "seconds.txt")) else 0

    def row(m, e, searched_params):
        return {"mode": m, "budget": budget, "seed": seed, "n_params": e["n_params"], "searched_params": searched_params,
                "noisy_acc": e["test"]["exact"]["accuracy"], "noise_free_acc": e["test"]["none"]["accuracy"],
                "two_qubit": e["compiled_two_qubit"], "success_rate": e["success_rate"], "layout": e["layout"],
                "seconds": round(secs, 1)}

    out = [row(mode, ev["searched"], sr["n_params"])]
    for name, b in ev["baselines"].items():
        out.append(row("human", b["trivial"], budget))
        out.append(row("human_noise_aware", b["noise_aware"], budget))
    return out


def mean(xs):
    return sum(xs) / len(xs)


def plot(rows, path, paper, title):
    W, H, M = 760, 480, 64
    by = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in rows:
        by[r["mode"]][r["budget"]].append(r["noisy_acc"])
    x0, x1 = 0.0, max(165.0, max(r["budget"] for r in rows) + 15.0)
    y0, y1 = 0.1, 0.9
    px = lambda x: M + (x - x0) / (x1 - x0) * (W - 2 * M)
    py = lambda y: H - M - (y - y0) / (y1 - y0) * (H - 2 * M)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{W / 2}" y="24" text-anchor="middle" font-size="13">{title}</text>',
           f'<rect x="{M}" y="{M}" width="{W - 2 * M}" height="{H - 2 * M}" fill="none" stroke="#444"/>',
           f'<text x="{W / 2}" y="{H - 14}" text-anchor="middle">#parameters of the SubCircuit (search budget)</text>',
           f'<text x="16" y="{H / 2}" text-anchor="middle" transform="rotate(-90 16 {H / 2})">exact-noisy test '
           f'accuracy (mean of seeds)</text>']
    for k in range(int(x1 // 40) + 1):
        fx = 40 * k
        out.append(f'<text x="{px(fx):.1f}" y="{H - M + 16}" text-anchor="middle" font-size="11">{fx}</text>')
    for k in range(9):
        fy = 0.1 * (k + 1)
        out.append(f'<line x1="{M}" x2="{W - M}" y1="{py(fy):.1f}" y2="{py(fy):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{M - 6}" y="{py(fy) + 4:.1f}" text-anchor="end" font-size="11">{fy:.1f}</text>')
    if paper:
        for mode, pts in PAPER.items():
            line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
            out.append(f'<polyline points="{line}" fill="none" stroke="{COLORS[mode]}" stroke-width="1" '
                       f'stroke-dasharray="4 3" opacity="0.45"/>')
    legend = 0  # bottom left: low accuracy at few parameters, empty in every sweep
    for mode in ("co_search", "noise_unaware", "human", "human_noise_aware"):
        if mode not in by:
            continue
        color = COLORS[mode]
        width = 1.2 if mode == "human_noise_aware" else 2.2
        pts = []
        for b in sorted(by[mode]):
            for y in by[mode][b]:
                out.append(f'<circle cx="{px(b):.1f}" cy="{py(y):.1f}" r="2" fill="{color}" opacity="0.3"/>')
            pts.append(f"{px(b):.1f},{py(mean(by[mode][b])):.1f}")
        out.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="{color}" stroke-width="{width}"/>')
        out.append(f'<text x="{M + 8}" y="{H - M - 10 - 16 * legend}" fill="{color}">{LABELS[mode]}</text>')
        legend += 1
    if paper:
        out.append(f'<text x="{M + 8}" y="{H - M - 10 - 16 * legend}" fill="#777">dashed: the paper '
                   f'(real QC)</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("config")
    ap.add_argument("--qnas", default="build/cli/qnas")
    ap.add_argument("--out", required=True)
    ap.add_argument("--budgets", default=",".join(map(str, BUDGETS)))
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--modes", default="co_search,noise_unaware")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--noise-scale", type=float, default=1.0, help="gate errors × K, T1/T2 ÷ K (sensitivity check)")
    ap.add_argument("--idle-noise", action="store_true",
                    help="noise_model.idle: relaxation of waiting qubits too (search and evaluation)")
    ap.add_argument("--plot", default="")
    ap.add_argument("--paper", action="store_true", help="overlay the paper's digitised points")
    a = ap.parse_args()
    budgets = [int(x) for x in a.budgets.split(",")]
    seeds = [int(x) for x in a.seeds.split(",")]
    modes = a.modes.split(",")
    os.makedirs(a.out, exist_ok=True)

    t0 = time.time()
    sup = os.path.join(a.out, "super")
    if not os.path.exists(os.path.join(sup, "result.json")):
        secs = run([a.qnas, "train", a.config, "--out", sup, "--threads", str(a.threads), "--quiet"]
                   + (["--resume"] if os.path.exists(os.path.join(sup, "config.json")) else []), sup + ".log")
        print(f"SuperCircuit trained in {secs:.0f} s", file=sys.stderr)
    jobs = [(m, b, s) for s in seeds for b in budgets for m in modes]
    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(one_run, a, m, b, s): (m, b, s) for m, b, s in jobs}
        for f in concurrent.futures.as_completed(futures):
            m, b, s = futures[f]
            d = f.result()
            print(f"{m} budget {b} seed {s}: done ({time.time() - t0:.0f} s)", file=sys.stderr)
    for m, b, s in jobs:
        rows.extend(rows_of(os.path.join(a.out, f"{m}_p{b}_s{s}"), m, b, s))
    rows.sort(key=lambda r: (r["mode"], r["budget"], r["seed"]))
    with open(os.path.join(a.out, "sweep.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    with open(os.path.join(a.out, "sweep.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=[k for k in rows[0] if k != "layout"], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    # The table: mean noisy (noise-free) accuracy per mode and budget.
    by = collections.defaultdict(list)
    for r in rows:
        by[(r["mode"], r["budget"])].append(r)
    print("| mode | " + " | ".join(str(b) for b in budgets) + " |")
    print("|---|" + "---|" * len(budgets))
    for m in [x for x in ("co_search", "noise_unaware", "human", "human_noise_aware") if any(k[0] == x for k in by)]:
        cells = []
        for b in budgets:
            rs = by.get((m, b), [])
            cells.append(f"{mean([r['noisy_acc'] for r in rs]):.3f} ({mean([r['noise_free_acc'] for r in rs]):.3f})"
                         if rs else "—")
        print(f"| {m} | " + " | ".join(cells) + " |")
    if a.plot:
        cfg = json.load(open(os.path.join(sup, "config.json")))
        dev = cfg["device"] + (f" (errors ×{a.noise_scale:g})" if a.noise_scale != 1.0 else "")
        dev += " + idle relaxation" if a.idle_noise else ""
        plot(rows, a.plot, a.paper, f"{cfg['task']}, {cfg['space']}, {dev} noise model ({cfg['epochs']}-epoch "
             f"SuperCircuit): exact-noisy test accuracy vs #params")
        print(a.plot, file=sys.stderr)
    print(f"total {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
