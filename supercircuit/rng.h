// Counter-based random streams for training (weight init, per-epoch shuffles, architecture
// sampling): every draw is a pure function of (seed, domain, index, counter) through SplitMix64's
// mixer, so results are identical on every platform and compiler (no std:: distributions) and a
// resumed run can re-create any stream from a few integers instead of serialising engine state.
#pragma once

#include <cstdint>
#include <span>

#include "sim/random.h"

namespace qnas::supercircuit {

// Which use a stream serves; distinct domains give independent streams from one seed.
// OnChip: search/gradient_pruning.h (PGP subset draws and the shot seeds of on-chip training).
// Search: search/evolution.h (initial population, mutation, crossover, random-search genes).
enum class RngDomain : std::uint64_t {
    Init = 1,
    Shuffle = 2,
    Sampler = 3,
    Probe = 4,
    Ranking = 5,
    OnChip = 6,
    Search = 7
};

struct CounterRng {
    std::uint64_t key = 0;
    std::uint64_t counter = 0;
    std::uint64_t next() { return sim::mix64(key ^ sim::mix64(counter++)); }
};

inline CounterRng rng_stream(std::uint64_t seed, RngDomain domain, std::uint64_t index) {
    return {sim::mix64(sim::mix64(seed ^ (static_cast<std::uint64_t>(domain) << 56)) ^ index), 0};
}

// Uniform integer in [0, n) from 53 random bits (exact in double for n < 2^53; bias < n / 2^53).
inline std::uint64_t uniform_index(CounterRng& r, std::uint64_t n) {
    const auto i = static_cast<std::uint64_t>(sim::unit_double(r.next()) * static_cast<double>(n));
    return i < n ? i : n - 1;
}

inline double uniform_double(CounterRng& r) { return sim::unit_double(r.next()); }

// Fisher–Yates (Durstenfeld) shuffle in place.
template <class T>
void shuffle(std::span<T> v, CounterRng& r) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const std::size_t j = uniform_index(r, i);
        std::swap(v[i - 1], v[j]);
    }
}

}  // namespace qnas::supercircuit
