#include "supercircuit/sampler.h"

#include <cmath>
#include <numeric>
#include <span>

#include "sim/error.h"
#include "supercircuit/rng.h"

namespace qnas::supercircuit {

ArchSampler make_sampler(std::vector<std::vector<int>> choices, const SamplerOptions& options, std::uint64_t seed,
                         std::int64_t total_steps) {
    if (choices.empty()) throw Error("sampler: the architecture has no gene positions");
    for (std::size_t i = 0; i < choices.size(); ++i)
        if (choices[i].empty()) throw Error("sampler: gene position " + std::to_string(i) + " has no choices");
    if (options.kind != SamplerKind::Plain) {
        if (options.n_diffs < 0 || static_cast<std::size_t>(options.n_diffs) > choices.size())
            throw Error("sampler: n_diffs " + std::to_string(options.n_diffs) + " not in [0, " +
                        std::to_string(choices.size()) + "]");
    }
    if (options.kind == SamplerKind::LdiffBlkexpand) {
        if (options.n_chunks < 1) throw Error("sampler: n_chunks must be at least 1");
        if (options.n_stages < 1) throw Error("sampler: n_stages must be at least 1");
    }
    if (options.kind == SamplerKind::Sandwich && options.sandwich_random < 0)
        throw Error("sampler: sandwich_random must be at least 0");
    if (total_steps < 1) throw Error("sampler: total_steps must be at least 1");
    return {std::move(choices), options, seed, total_steps, {}};
}

double python_floordiv(double a, double b) {
    // CPython float_floor_div: mod = fmod(a, b) (sign fixed to b's), div = (a − mod) / b, then
    // floor with a correction for division results just below an integer.
    double mod = std::fmod(a, b);
    double div = (a - mod) / b;
    if (mod != 0.0 && ((b < 0) != (mod < 0))) div -= 1.0;
    if (div == 0.0) return std::copysign(0.0, a / b);
    double floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
    return floordiv;
}

int blkexpand_chunk(std::int64_t step, std::int64_t total_steps, int n_stages, int n_chunks) {
    const double stage = python_floordiv(static_cast<double>(step), static_cast<double>(total_steps) / n_stages);
    return stage >= n_chunks ? n_chunks - 1 : static_cast<int>(stage);
}

std::vector<int> blkexpand_allowed(const std::vector<int>& block_choices, int chunk, int n_chunks) {
    const int n = static_cast<int>(block_choices.size());
    // Python: int(round((n - 1) * (1 - (chunk + 1) / n_chunks))); nearbyint rounds half to even.
    const double x = (n - 1) * (1.0 - static_cast<double>(chunk + 1) / n_chunks);
    const int start = static_cast<int>(std::nearbyint(x));
    return {block_choices.begin() + start, block_choices.end()};
}

namespace {

int pick(const std::vector<int>& options, CounterRng& r) { return options[uniform_index(r, options.size())]; }

// n distinct positions of [0, len), as numpy's choice(replace=False) would give in distribution.
std::vector<std::size_t> distinct_positions(std::size_t len, int n, CounterRng& r) {
    std::vector<std::size_t> idx(len);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    for (int i = 0; i < n; ++i) {
        const std::size_t j = i + uniform_index(r, len - i);
        std::swap(idx[i], idx[j]);
    }
    idx.resize(n);
    return idx;
}

}  // namespace

std::vector<int> sample_arch(ArchSampler& s) {
    CounterRng r = rng_stream(s.seed, RngDomain::Sampler, static_cast<std::uint64_t>(s.state.step));
    std::vector<int> arch;
    const bool first = s.state.previous.size() != s.choices.size();
    switch (s.options.kind) {
        case SamplerKind::Plain:
            for (const auto& c : s.choices) arch.push_back(pick(c, r));
            break;
        case SamplerKind::LimitDiff:
            if (first) {
                for (const auto& c : s.choices) arch.push_back(pick(c, r));
            } else {
                arch = s.state.previous;
                for (const std::size_t i : distinct_positions(arch.size(), s.options.n_diffs, r))
                    arch[i] = pick(s.choices[i], r);
            }
            break;
        case SamplerKind::LdiffBlkexpand: {
            if (first) {
                for (const auto& c : s.choices) arch.push_back(c.back());
            } else {
                arch = s.state.previous;
            }
            const int chunk = blkexpand_chunk(s.state.step, s.total_steps, s.options.n_stages, s.options.n_chunks);
            const std::vector<int> blocks = blkexpand_allowed(s.choices.back(), chunk, s.options.n_chunks);
            for (const std::size_t i : distinct_positions(arch.size(), s.options.n_diffs, r))
                arch[i] = pick(i + 1 == arch.size() ? blocks : s.choices[i], r);
            break;
        }
        case SamplerKind::Sandwich: {
            const std::int64_t period = 2 + s.options.sandwich_random;
            const std::int64_t phase = s.state.step % period;
            for (std::size_t i = 0; i + 1 < s.choices.size(); ++i)
                arch.push_back(phase == 0   ? s.choices[i].back()
                               : phase == 1 ? s.choices[i].front()
                                            : pick(s.choices[i], r));
            arch.push_back(pick(s.choices.back(), r));  // n_blocks: uniform at every step
            break;
        }
    }
    s.state.previous = arch;
    ++s.state.step;
    return arch;
}

SamplerKind parse_sampler_kind(const std::string& name) {
    if (name == "plain") return SamplerKind::Plain;
    if (name == "limit_diff") return SamplerKind::LimitDiff;
    if (name == "ldiff_blkexpand") return SamplerKind::LdiffBlkexpand;
    if (name == "sandwich") return SamplerKind::Sandwich;
    throw Error("unknown sampler '" + name + "' (known: plain, limit_diff, ldiff_blkexpand, sandwich)");
}

const char* sampler_kind_name(SamplerKind k) {
    switch (k) {
        case SamplerKind::Plain: return "plain";
        case SamplerKind::LimitDiff: return "limit_diff";
        case SamplerKind::LdiffBlkexpand: return "ldiff_blkexpand";
        case SamplerKind::Sandwich: return "sandwich";
    }
    return "?";
}

}  // namespace qnas::supercircuit
