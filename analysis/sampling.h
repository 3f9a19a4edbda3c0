// Random parameter vectors for PQC metrics. Draw k of a seed is a pure function of (seed, k)
// (sim/random.h counter streams), so a metric's samples are the same whatever thread computes
// them and whatever the thread count.
#pragma once

#include <cstdint>
#include <numbers>
#include <vector>

#include "sim/circuit.h"

namespace qnas::analysis {

// θ_i ~ U[0, angle_range) for i < n_trainable: the parameter vector of draw `draw` under `seed`.
std::vector<double> sample_angles(int n_trainable, std::uint64_t seed, std::uint64_t draw,
                                  double angle_range = 2.0 * std::numbers::pi);

// Throws qnas::Error when the circuit reads input features (Source::Input): the metrics are
// defined over trainable angles only — analyse a SubCircuit without its encoder.
void check_analysable(const sim::Circuit& c);

// A copy in which every constant angle of a rotation gate becomes a trainable of its own (in op
// order), so a QASM file with bound angles can be analysed as the PQC family it is one member of.
// Fixed (non-rotation) gates are kept; existing trainables keep their indices, new ones follow.
sim::Circuit free_angles(const sim::Circuit& c);

}  // namespace qnas::analysis
