#include "supercircuit/subcircuit_sampling.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>

#include "sim/error.h"
#include "supercircuit/rng.h"

namespace qnas::supercircuit {

namespace {

// Stream indices within RngDomain::Ranking: 0 = plain draws, 1 + P = draws with P parameters.
constexpr std::uint64_t kPlainStream = 0;

// For one n_blocks: count_params = base + Σ over running positions of delta[p][choice index], and
// ways[i][t] = number of value combinations of running positions i.. whose deltas sum to t.
struct BlockTable {
    int n_blocks = 0;
    int base = 0;
    int n_running = 0;                    // gene positions 0..n_running−1 run
    std::vector<std::vector<int>> delta;  // [position][choice index], ≥ 0 (choices ascend)
    std::vector<std::vector<double>> ways;
    double count(int n_params) const {
        const int t = n_params - base;
        return t < 0 || t >= static_cast<int>(ways[0].size()) ? 0.0 : ways[0][static_cast<std::size_t>(t)];
    }
};

std::vector<BlockTable> block_tables(const DesignSpace& s) {
    const auto choices = arch_choices(s);
    const int len = static_cast<int>(choices.size());
    std::vector<BlockTable> tables;
    for (const int nb : choices.back()) {
        BlockTable t;
        t.n_blocks = nb;
        t.n_running = std::min(n_running_layers(s, nb), len - 1);
        Arch g0;
        for (const auto& c : choices) g0.push_back(c.front());
        g0.back() = nb;
        t.base = count_params(s, g0);
        int max_sum = 0;
        for (int p = 0; p < t.n_running; ++p) {
            std::vector<int> d;
            Arch g = g0;
            for (const int v : choices[static_cast<std::size_t>(p)]) {
                g[static_cast<std::size_t>(p)] = v;
                const int delta = count_params(s, g) - t.base;
                if (delta < 0) throw Error("subcircuit sampling: parameter count not monotone in " + s.name);
                d.push_back(delta);
            }
            max_sum += *std::max_element(d.begin(), d.end());
            t.delta.push_back(std::move(d));
        }
        t.ways.assign(static_cast<std::size_t>(t.n_running) + 1, std::vector<double>(max_sum + 1, 0.0));
        t.ways.back()[0] = 1.0;
        for (int p = t.n_running - 1; p >= 0; --p) {
            const auto& next = t.ways[static_cast<std::size_t>(p) + 1];
            auto& cur = t.ways[static_cast<std::size_t>(p)];
            for (const int d : t.delta[static_cast<std::size_t>(p)])
                for (int sum = d; sum <= max_sum; ++sum)
                    cur[static_cast<std::size_t>(sum)] += next[static_cast<std::size_t>(sum - d)];
        }
        tables.push_back(std::move(t));
    }
    return tables;
}

// Index i with probability w[i] / Σ w (Σ w > 0).
std::size_t pick_weighted(CounterRng& r, const std::vector<double>& w) {
    double total = 0.0;
    for (const double x : w) total += x;
    double u = uniform_double(r) * total;
    std::size_t last = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] <= 0.0) continue;
        last = i;
        if (u < w[i]) return i;
        u -= w[i];
    }
    return last;  // rounding left u ≥ the last weight
}

// Attempts before giving up on finding new distinct SubCircuits.
std::int64_t max_attempts(int n) { return std::max<std::int64_t>(100000, 1000 * static_cast<std::int64_t>(n)); }

}  // namespace

std::vector<Arch> sample_distinct_archs(const DesignSpace& s, int n, std::uint64_t seed) {
    if (n < 1) throw Error("subcircuit sampling: the number of SubCircuits must be at least 1");
    const auto choices = arch_choices(s);
    double total = 0.0;
    for (const auto& t : block_tables(s)) {
        double prod = 1.0;
        for (int p = 0; p < t.n_running; ++p) prod *= static_cast<double>(choices[static_cast<std::size_t>(p)].size());
        total += prod;
    }
    if (static_cast<double>(n) > total)
        throw Error("subcircuit sampling: the " + s.name + " space has only " + std::to_string(std::llround(total)) +
                    " SubCircuits, asked for " + std::to_string(n));
    CounterRng r = rng_stream(seed, RngDomain::Ranking, kPlainStream);
    std::set<std::vector<int>> seen;
    std::vector<Arch> out;
    for (std::int64_t attempt = 0; attempt < max_attempts(n) && static_cast<int>(out.size()) < n; ++attempt) {
        Arch a;
        for (const auto& c : choices) a.push_back(c[uniform_index(r, c.size())]);
        if (seen.insert(active_key(s, a)).second) out.push_back(std::move(a));
    }
    if (static_cast<int>(out.size()) < n)
        throw Error("subcircuit sampling: found only " + std::to_string(out.size()) + " distinct SubCircuits of " +
                    s.name + " in " + std::to_string(max_attempts(n)) + " plain draws, asked for " + std::to_string(n));
    return out;
}

double count_archs_with_params(const DesignSpace& s, int n_params) {
    double total = 0.0;
    for (const auto& t : block_tables(s)) total += t.count(n_params);
    return total;
}

std::vector<int> achievable_param_counts(const DesignSpace& s) {
    std::set<int> counts;
    for (const auto& t : block_tables(s))
        for (std::size_t sum = 0; sum < t.ways[0].size(); ++sum)
            if (t.ways[0][sum] > 0.0) counts.insert(t.base + static_cast<int>(sum));
    return {counts.begin(), counts.end()};
}

int nearest_achievable_params(const DesignSpace& s, int target) {
    const auto counts = achievable_param_counts(s);
    int best = counts.front();
    for (const int c : counts)
        if (std::abs(c - target) < std::abs(best - target)) best = c;
    return best;
}

std::vector<Arch> sample_archs_with_params(const DesignSpace& s, int n_params, int k, std::uint64_t seed) {
    if (k < 1) throw Error("subcircuit sampling: the number of SubCircuits must be at least 1");
    const auto choices = arch_choices(s);
    const auto tables = block_tables(s);
    std::vector<double> per_block;
    double total = 0.0;
    for (const auto& t : tables) per_block.push_back(t.count(n_params)), total += per_block.back();
    if (total < static_cast<double>(k))
        throw Error("subcircuit sampling: the " + s.name + " space has " + std::to_string(std::llround(total)) +
                    " SubCircuits with " + std::to_string(n_params) + " parameters, asked for " + std::to_string(k));
    CounterRng r = rng_stream(seed, RngDomain::Ranking, 1 + static_cast<std::uint64_t>(n_params));
    std::set<std::vector<int>> seen;
    std::vector<Arch> out;
    for (std::int64_t attempt = 0; attempt < max_attempts(k) && static_cast<int>(out.size()) < k; ++attempt) {
        const BlockTable& t = tables[pick_weighted(r, per_block)];
        Arch a(choices.size());
        int left = n_params - t.base;
        for (int p = 0; p < t.n_running; ++p) {
            const auto pu = static_cast<std::size_t>(p);
            const auto& next = t.ways[pu + 1];
            std::vector<double> w;
            for (const int d : t.delta[pu])
                w.push_back(left - d >= 0 && left - d < static_cast<int>(next.size())
                                ? next[static_cast<std::size_t>(left - d)]
                                : 0.0);
            const std::size_t i = pick_weighted(r, w);
            a[pu] = choices[pu][i];
            left -= t.delta[pu][i];
        }
        // Layers that do not run do not change the circuit: any value, drawn uniformly.
        for (std::size_t p = static_cast<std::size_t>(t.n_running); p + 1 < choices.size(); ++p)
            a[p] = choices[p][uniform_index(r, choices[p].size())];
        a.back() = t.n_blocks;
        if (count_params(s, a) != n_params)
            throw Error("subcircuit sampling: internal error, drew a SubCircuit with " +
                        std::to_string(count_params(s, a)) + " parameters instead of " + std::to_string(n_params));
        if (seen.insert(active_key(s, a)).second) out.push_back(std::move(a));
    }
    if (static_cast<int>(out.size()) < k)
        throw Error("subcircuit sampling: found only " + std::to_string(out.size()) + " distinct SubCircuits with " +
                    std::to_string(n_params) + " parameters in " + std::to_string(max_attempts(k)) + " draws");
    return out;
}

}  // namespace qnas::supercircuit
