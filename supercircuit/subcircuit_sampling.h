// Drawing SubCircuits to rank (issue 5: inherited vs from-scratch ranking, accuracy vs #params):
// n distinct SubCircuits from plain draws, and k distinct SubCircuits with a given parameter
// count. "Distinct" means distinct active_key (design_space.h), i.e. distinct circuits. Draws come
// from the seed's RngDomain::Ranking streams, not the trainer's sampler stream, so the ranked genes
// are not the ones the SuperCircuit happened to train on first.
//
// A fixed parameter count is drawn constructively, uniformly over the distinct SubCircuits that
// have it: a SubCircuit's count is a sum of per-layer terms over the layers that run (one term per
// gene value), so for each n_blocks a dynamic programme counts the value combinations reaching the
// target, and the gene is drawn position by position from those counts. Rejection from plain draws
// would not do: in U3+CU3 with 8 blocks, 180 parameters is about one plain draw in 10^6.
#pragma once

#include <cstdint>
#include <vector>

#include "supercircuit/design_space.h"

namespace qnas::supercircuit {

// n plain draws (every gene position uniform over its choices) with distinct active keys, in draw
// order. Throws qnas::Error when the space has fewer than n SubCircuits or the draws stop finding
// new ones (a bounded number of attempts).
std::vector<Arch> sample_distinct_archs(const DesignSpace& s, int n, std::uint64_t seed);

// Number of distinct SubCircuits (search genes) with exactly `n_params` parameters (as a double:
// the count can exceed 2^64 in the large spaces; exact below 2^53).
double count_archs_with_params(const DesignSpace& s, int n_params);

// Every parameter count some SubCircuit of the space has, ascending.
std::vector<int> achievable_param_counts(const DesignSpace& s);

// The achievable count closest to `target` (ties: the smaller one), e.g. 145 → 144 in U3+CU3.
int nearest_achievable_params(const DesignSpace& s, int target);

// k distinct SubCircuits with exactly n_params parameters, uniform over all such SubCircuits. The
// stream depends on (seed, n_params) only. Throws qnas::Error when fewer than k exist.
std::vector<Arch> sample_archs_with_params(const DesignSpace& s, int n_params, int k, std::uint64_t seed);

}  // namespace qnas::supercircuit
