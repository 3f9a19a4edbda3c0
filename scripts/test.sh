#!/usr/bin/env bash
# Builds qnas (warnings are errors) and runs the whole test suite (benchmarks: bench/README.md).
# This is the README's test command and the first thing CI runs. Works on a fresh machine:
# scripts/setup.sh installs every dependency first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNAS_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)

bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DQNAS_WARNINGS_AS_ERRORS=ON -DQNAS_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs"
