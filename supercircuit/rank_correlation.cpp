#include "supercircuit/rank_correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "sim/error.h"
#include "supercircuit/rng.h"

namespace qnas::supercircuit {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_sizes(std::span<const double> x, std::span<const double> y, const char* what) {
    if (x.size() != y.size())
        throw Error(std::string(what) + ": lists of different sizes (" + std::to_string(x.size()) + " and " +
                    std::to_string(y.size()) + ")");
}

int sign(double v) { return (v > 0) - (v < 0); }

}  // namespace

std::vector<double> average_ranks(std::span<const double> x) {
    std::vector<std::size_t> order(x.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> ranks(x.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
        // Positions i..j (0-based) tie: ranks i+1..j+1, average (i + j) / 2 + 1.
        const double r = static_cast<double>(i + j) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = r;
        i = j + 1;
    }
    return ranks;
}

double spearman(std::span<const double> x, std::span<const double> y) {
    check_sizes(x, y, "spearman");
    if (x.size() < 2) return kNaN;
    const std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
    const double n = static_cast<double>(x.size());
    const double mean = (n + 1.0) / 2.0;  // average ranks always sum to n(n+1)/2
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < rx.size(); ++i) {
        const double a = rx[i] - mean, b = ry[i] - mean;
        sxy += a * b, sxx += a * a, syy += b * b;
    }
    if (sxx == 0.0 || syy == 0.0) return kNaN;
    return sxy / std::sqrt(sxx * syy);
}

double kendall_tau(std::span<const double> x, std::span<const double> y) {
    check_sizes(x, y, "kendall_tau");
    if (x.size() < 2) return kNaN;
    // τ-b = (C − D) / sqrt((n0 − n1)(n0 − n2)), n0 = pairs, n1 / n2 = pairs tied in x / in y.
    // Quadratic: a few hundred SubCircuits at most.
    double s = 0.0, n0 = 0.0, n1 = 0.0, n2 = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t j = i + 1; j < x.size(); ++j) {
            const int dx = sign(x[i] - x[j]), dy = sign(y[i] - y[j]);
            s += dx * dy;
            n0 += 1.0;
            n1 += dx == 0;
            n2 += dy == 0;
        }
    if (n0 == n1 || n0 == n2) return kNaN;
    return s / std::sqrt((n0 - n1) * (n0 - n2));
}

double median(std::vector<double> v) {
    if (v.empty()) return kNaN;
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2.0;
}

Interval spearman_bootstrap(std::span<const double> x, std::span<const double> y, int resamples, double level,
                            std::uint64_t seed) {
    if (x.size() != y.size()) throw Error("spearman_bootstrap: the two lists differ in size");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::size_t n = x.size();
    if (n < 3 || resamples < 1) return {nan, nan};
    CounterRng rng = rng_stream(seed, RngDomain::Ranking, 0xb0075ull);
    std::vector<double> rho, bx(n), by(n);
    rho.reserve(static_cast<std::size_t>(resamples));
    for (int b = 0; b < resamples; ++b) {
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = uniform_index(rng, n);
            bx[i] = x[k];
            by[i] = y[k];
        }
        const double r = spearman(bx, by);
        if (!std::isnan(r)) rho.push_back(r);
    }
    if (rho.empty()) return {nan, nan};
    std::sort(rho.begin(), rho.end());
    auto quantile = [&](double q) {
        const double pos = q * static_cast<double>(rho.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, rho.size() - 1);
        return rho[lo] + (pos - static_cast<double>(lo)) * (rho[hi] - rho[lo]);
    };
    return {quantile((1.0 - level) / 2.0), quantile((1.0 + level) / 2.0)};
}

}  // namespace qnas::supercircuit
