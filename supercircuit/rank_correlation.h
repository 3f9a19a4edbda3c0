// Rank statistics for comparing two scorings of the same items (SubCircuit ranking, issue 5):
// Spearman's ρ with average ranks for ties (Pearson correlation of the ranks, as scipy.stats.spearmanr)
// and Kendall's τ-b (ties in either list corrected for, as scipy.stats.kendalltau's default), plus
// the median. Undefined values (fewer than two items, a constant list) are NaN.
#pragma once

#include <span>
#include <vector>

namespace qnas::supercircuit {

// 1-based ranks; tied values share the average of the ranks they span.
std::vector<double> average_ranks(std::span<const double> x);

// Throws qnas::Error when the sizes differ.
double spearman(std::span<const double> x, std::span<const double> y);
double kendall_tau(std::span<const double> x, std::span<const double> y);

// The middle value (mean of the two middle ones for an even count); NaN when empty.
double median(std::vector<double> v);

}  // namespace qnas::supercircuit
