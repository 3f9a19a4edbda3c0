// Counter-based random numbers: a value is a pure function of (seed, stream, counter), so any
// thread can draw any sample's numbers in any order and results never depend on scheduling.
#pragma once

#include <cstdint>

namespace qnas::sim {

// SplitMix64's finaliser: a stateless 64-bit bijective mixer.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// A uniform double in [0, 1) from the top 53 bits of a mixed word.
constexpr double unit_double(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

}  // namespace qnas::sim
