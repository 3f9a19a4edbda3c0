// Rank statistics for comparing two scorings of the same items (SubCircuit ranking, issue 5):
// Spearman's ρ with average ranks for ties (Pearson correlation of the ranks, as scipy.stats.spearmanr)
// and Kendall's τ-b (ties in either list corrected for, as scipy.stats.kendalltau's default), plus
// the median. Undefined values (fewer than two items, a constant list) are NaN.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace qnas::supercircuit {

// 1-based ranks; tied values share the average of the ranks they span.
std::vector<double> average_ranks(std::span<const double> x);

// Throws qnas::Error when the sizes differ.
double spearman(std::span<const double> x, std::span<const double> y);
double kendall_tau(std::span<const double> x, std::span<const double> y);

// Percentile-bootstrap interval of Spearman's ρ: `resamples` resamples of the pairs with
// replacement (drawn from a counter stream of `seed`), the (1 − level)/2 and (1 + level)/2 quantiles
// of their ρ (resamples with an undefined ρ skipped). With n = 50 items the interval is about
// ±0.15 wide: the reason a ranking quality should be quoted with it. {NaN, NaN} for n < 3.
struct Interval {
    double lo = 0.0, hi = 0.0;
};
Interval spearman_bootstrap(std::span<const double> x, std::span<const double> y, int resamples = 2000,
                            double level = 0.95, std::uint64_t seed = 1);

// The middle value (mean of the two middle ones for an even count); NaN when empty.
double median(std::vector<double> v);

}  // namespace qnas::supercircuit
