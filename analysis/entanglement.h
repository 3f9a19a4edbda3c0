// Entangling capability (Sim19, training_and_metrics.md §5.1): the mean Meyer–Wallach measure
// Q(ψ) = 2 (1 − (1/n) Σ_k Tr ρ_k²) over states of sampled parameters; 0 for product states,
// 1 for GHZ and cluster states, 2(2^{n−1} − 1)/(2ⁿ + 1) on average for Haar states.
#pragma once

#include <cstdint>
#include <numbers>

#include "sim/circuit.h"
#include "sim/parallel.h"
#include "sim/statevector.h"

namespace qnas::analysis {

// Q of one n-qubit state (exact one-qubit purities).
double meyer_wallach(const sim::State& psi, int n_qubits);

struct EntanglementOptions {
    int samples = 5000;
    std::uint64_t seed = 0;
    double angle_range = 2.0 * std::numbers::pi;
    qnas::Parallelism parallelism{0};
};

struct EntanglementResult {
    double mean = 0.0;
    double std_error = 0.0;  // sample standard deviation / √samples
    int samples = 0;
};

// Sample k uses draw k of sampling.h sample_angles(seed). Throws qnas::Error for samples < 1 or a
// circuit with input features.
EntanglementResult entangling_capability(const sim::Circuit& c, const EntanglementOptions& options = {});

}  // namespace qnas::analysis
