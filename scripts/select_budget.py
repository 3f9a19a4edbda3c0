#!/usr/bin/env python3
"""Chooses the parameter budget of a scripts/sweep_params.py sweep on the validation split, standard library only.

  python3 scripts/select_budget.py SWEEP_DIR --qnas BIN [--threads 1]

A sweep gives, per seed, one searched winner (and one human design fillB) per budget B. Reading the
best budget off the test accuracies would select on the test set; this script selects on the
validation split instead: for every run DIR/co_search_p<B>_s<seed> it evaluates the same circuits
(`qnas eval` with "eval.split": "valid", exact noise; the human design's trained weights are reused)
in a copy DIR/co_search_p<B>_s<seed>_valid, then per seed picks the budget with the best exact-noisy
validation accuracy (ties: lower validation loss) — separately for the searched circuits and for the
human designs — and reports the chosen budgets' exact-noisy TEST accuracy. Writes DIR/selection.json
and prints a markdown table. Complete validation evaluations are reused.
"""
import argparse
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys


def valid_eval(a, d):
    v = d + "_valid"
    if os.path.exists(os.path.join(v, "eval.json")):
        return json.load(open(os.path.join(v, "eval.json")))
    if os.path.exists(v):
        shutil.rmtree(v)
    shutil.copytree(d, v, ignore=shutil.ignore_patterns("eval.json", "best.*", "summary.md"))
    cfg = json.load(open(os.path.join(v, "config.json")))
    cfg["eval"]["split"] = "valid"
    cfg["eval"]["noise"] = ["exact"]
    with open(os.path.join(v, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    p = subprocess.run([a.qnas, "eval", v, "--threads", str(a.threads), "--quiet"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"select_budget: qnas eval {v} failed: {p.stderr.strip()}")
    return json.load(open(os.path.join(v, "eval.json")))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep")
    ap.add_argument("--qnas", default="build/cli/qnas")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()

    runs = collections.defaultdict(dict)  # seed -> budget -> {"searched": (valid, test), "human": ...}
    for d in sorted(glob.glob(os.path.join(a.sweep, "co_search_p*_s*"))):
        m = re.fullmatch(r"co_search_p(\d+)_s(\d+)", os.path.basename(d))
        if not m or not os.path.exists(os.path.join(d, "eval.json")):
            continue
        budget, seed = int(m.group(1)), int(m.group(2))
        test = json.load(open(os.path.join(d, "eval.json")))
        valid = valid_eval(a, d)
        entry = {"searched": (valid["searched"]["test"]["exact"], test["searched"]["test"]["exact"],
                              test["searched"]["n_params"])}
        for name, b in test["baselines"].items():
            entry["human"] = (valid["baselines"][name]["trivial"]["test"]["exact"], b["trivial"]["test"]["exact"],
                              b["trivial"]["n_params"])
        runs[seed][budget] = entry
    if not runs:
        sys.exit(f"select_budget: no complete co_search_p<B>_s<seed> runs under {a.sweep}")

    out = {"seeds": {}, "mean": {}}
    for kind in ("searched", "human"):
        tests = []
        for seed in sorted(runs):
            cands = [(b, e[kind]) for b, e in runs[seed].items() if kind in e]
            b, (v, t, n) = max(cands, key=lambda c: (c[1][0]["accuracy"], -c[1][0]["loss"]))
            out["seeds"].setdefault(str(seed), {})[kind] = {"budget": b, "n_params": n, "valid_acc": v["accuracy"],
                                                            "test_acc": t["accuracy"]}
            tests.append(t["accuracy"])
        out["mean"][kind] = sum(tests) / len(tests)
    with open(os.path.join(a.sweep, "selection.json"), "w") as f:
        json.dump(out, f, indent=2)

    budgets = sorted({b for s in runs.values() for b in s})
    print(f"budgets {budgets}; per seed: chosen budget (params) valid → test exact-noisy accuracy\n")
    print("| seed | searched | human fillB |\n|---|---|---|")
    for seed, r in out["seeds"].items():
        cells = [f"{r[k]['budget']} ({r[k]['n_params']}): {r[k]['valid_acc']:.3f} → **{r[k]['test_acc']:.3f}**"
                 if k in r else "—" for k in ("searched", "human")]
        print(f"| {seed} | {cells[0]} | {cells[1]} |")
    print(f"| mean | **{out['mean']['searched']:.3f}** | **{out['mean'].get('human', float('nan')):.3f}** |")


if __name__ == "__main__":
    main()
