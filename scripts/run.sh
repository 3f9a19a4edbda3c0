#!/usr/bin/env bash
# The README's main command. Until the search pipeline lands (noise/, supercircuit/, search/)
# it builds qnas and runs a demo of what exists: exact simulation of a QASM circuit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNAS_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)

bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target qnas

circuit="$root/experiments/demo/ghz_u3cu3.qasm"
echo "== qnas simulate $circuit" >&2
"$build/cli/qnas" simulate "$circuit" --output probabilities
