// Small pieces shared by the loaders: Dataset::head, the platform-independent seeded permutation
// and the npm per-class split sizes.
#include "supercircuit/dataset.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "sim/random.h"

namespace qnas::supercircuit {

Dataset Dataset::head(std::size_t n) const {
    Dataset out;
    out.n_features = n_features;
    out.n_classes = n_classes;
    n = std::min(n, size());
    out.y.assign(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n));
    out.x.assign(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n * static_cast<std::size_t>(n_features)));
    return out;
}

Dataset Dataset::subset(std::size_t n, std::uint64_t seed) const {
    if (n >= size()) return *this;
    std::vector<std::size_t> pick = seeded_permutation(size(), seed);
    pick.resize(n);
    std::sort(pick.begin(), pick.end());
    Dataset out;
    out.n_features = n_features;
    out.n_classes = n_classes;
    const auto f = static_cast<std::size_t>(n_features);
    out.x.reserve(n * f);
    out.y.reserve(n);
    for (const std::size_t i : pick) {
        out.y.push_back(y[i]);
        out.x.insert(out.x.end(), x.begin() + static_cast<std::ptrdiff_t>(i * f),
                     x.begin() + static_cast<std::ptrdiff_t>((i + 1) * f));
    }
    return out;
}

std::vector<std::size_t> seeded_permutation(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::uint64_t state = seed;
    auto next = [&state] {
        const std::uint64_t r = sim::mix64(state);  // = SplitMix64's output for state + γ
        state += 0x9e3779b97f4a7c15ULL;
        return r;
    };
    for (std::size_t i = n; i-- > 1;) {
        const std::uint64_t bound = static_cast<std::uint64_t>(i) + 1;
        const std::uint64_t reject_below = (0 - bound) % bound;  // 2^64 mod bound
        std::uint64_t r = next();
        while (r < reject_below) r = next();
        std::swap(perm[i], perm[static_cast<std::size_t>(r % bound)]);
    }
    return perm;
}

SplitCounts npm_class_split(std::size_t n) {
    SplitCounts c;
    c.train = n * 7 / 10;
    c.valid = n / 10;
    c.test = n - c.train - c.valid;
    return c;
}

}  // namespace qnas::supercircuit
