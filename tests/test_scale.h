// Repetition counts of the long randomized tests. scripts/sanitize.sh sets QNAS_TEST_SCALE (a factor
// in (0, 1]) so the instrumented builds — which look for memory errors and undefined behaviour, not
// for numerical ones — run a quarter of the random circuits; the Release run checks them all.
#pragma once

#include <algorithm>
#include <cstdlib>

namespace qnas::test {

inline int scaled(int n) {
    const char* s = std::getenv("QNAS_TEST_SCALE");
    if (s == nullptr) return n;
    const double f = std::atof(s);
    if (!(f > 0.0 && f <= 1.0)) return n;
    return std::max(1, static_cast<int>(n * f));
}

}  // namespace qnas::test
