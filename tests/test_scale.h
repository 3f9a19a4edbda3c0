// Repetition counts of the long randomized tests. QNAS_TEST_SCALE (a factor in (0, 1]) shrinks them
// for quick local runs, e.g. `QNAS_TEST_SCALE=0.25 ctest --test-dir build-asan`; unset (CI, the
// README's test command), every random circuit is checked.
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
