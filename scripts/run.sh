#!/usr/bin/env bash
# The README's main command. Until the search pipeline lands (supercircuit/, search/) it builds
# qnas and runs a demo of what exists: a QASM circuit compiled onto IBM quito (noise-aware layout,
# SABRE routing, basis translation) and simulated noise-free and under quito's calibrated noise.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNAS_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)

bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target qnas

circuit="$root/experiments/demo/ghz_u3cu3.qasm"
out=${QNAS_RUN_DIR:-$root/runs/demo}
mkdir -p "$out"
qnas="$build/cli/qnas"
echo "== qnas simulate $circuit (ideal, logical qubits)" >&2
"$qnas" simulate "$circuit" --output probabilities
echo "== qnas compile $circuit --device quito -o $out/ghz_u3cu3.quito.qasm" >&2
"$qnas" compile "$circuit" --device quito --data-dir "$root/data" -o "$out/ghz_u3cu3.quito.qasm"
for noise in none exact; do
  echo "== qnas simulate $out/ghz_u3cu3.quito.qasm --device quito --noise $noise" >&2
  "$qnas" simulate "$out/ghz_u3cu3.quito.qasm" --device quito --data-dir "$root/data" --noise "$noise"
done
