#!/usr/bin/env bash
# The README's test command and the first thing CI runs: installs every dependency
# (scripts/setup.sh), builds everything with warnings as errors under AddressSanitizer +
# UndefinedBehaviorSanitizer, and runs the whole test suite there — one instrumented build
# instead of a Release build plus a sanitizer build keeps CI within 20 minutes on 2 cores. The
# main job (scripts/run.sh) builds the optimised Release binary; benchmarks: bench/README.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bash "$root/scripts/setup.sh"
bash "$root/scripts/sanitize.sh" asan
