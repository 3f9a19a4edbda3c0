#!/usr/bin/env bash
# Runs the test suite in sanitizer builds:
#   sanitize.sh asan   address + undefined behaviour, the whole suite (what scripts/test.sh runs)
#   sanitize.sh tsan   thread, the suite's multi-threaded cases (CI runs it after test.sh)
# (no argument: both). Warnings are errors in both builds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

run_build() {  # name, sanitizer list, build target ("all" or one test runner), extra ctest args...
  local build="$root/build-$1" san="$2" target="$3"
  shift 3
  # -O1 without debug info compiles fastest under instrumentation while the tests still run at
  # speed, which keeps CI within its 20 minutes on 2 cores (reports name functions, not lines;
  # for line numbers run with QNAS_SANITIZE_FLAGS="-O1 -g1").
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="${QNAS_SANITIZE_FLAGS:--O1 -g0}" -DQNAS_WARNINGS_AS_ERRORS=ON \
    -DQNAS_SANITIZE="$san" -DQNAS_BUILD_TESTS=ON -DQNAS_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" -j "$jobs" --target "$target"
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
}

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(asan tsan)
for mode in "${modes[@]}"; do
  case "$mode" in
    asan) run_build asan address,undefined all ;;
    # Every multi-threaded case is in the qnas_tests_threads runner and has "thread" in its name.
    tsan) run_build tsan thread qnas_tests_threads -R "^threads:.*thread" ;;
    *) echo "sanitize.sh: unknown mode '$mode' (asan, tsan)" >&2; exit 2 ;;
  esac
done
