#!/usr/bin/env bash
# The README's main command: installs the dependencies, builds qnas and runs a small end-to-end
# QuantumNAS search on a real device noise model (experiments/quickstart.json, seconds on 2 cores);
# the run directory (default runs/quickstart) holds the metrics, the searched circuit as QASM and
# summary.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNAS_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)

bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target qnas

# The main job: the whole QuantumNAS pipeline on a small budget (experiments/quickstart.json) —
# SuperCircuit training on MNIST-4, a 10 × 10 noise-aware co-search on IBM quito's noise model,
# retraining, gate pruning, evaluation (noise-free, exact noisy, shots) and QASM export.
out=${QNAS_RUN_DIR:-$root/runs/quickstart}
resume=()
[ -f "$out/config.json" ] && resume=(--resume)  # a second run continues / reuses the finished stages
"$build/cli/qnas" run "$root/experiments/quickstart.json" --out "$out" --data-dir "$root/data" "${resume[@]}"
echo "== $out/summary.md" >&2
cat "$out/summary.md"
